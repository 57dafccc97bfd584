namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>
/// Something that happened in a tenant's account, as tenants receive it. <see cref="DataJson"/> is the
/// resource exactly as the API shows it (snake_case JSON, with its <c>object</c> field). The publisher
/// makes the id (<c>PlatformIds.NewEventId</c>) before it publishes, so publishing again after a failure
/// (an outbox) is idempotent: the same id is stored and delivered once per endpoint.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.event")]
public sealed record PlatformEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] string DataJson);
