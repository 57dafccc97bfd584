namespace Platform.Grains.Interfaces.TestClocks;

/// <summary>A test clock (Stripe's <c>test_helpers.test_clock</c>): the time its customers' billing sees. Status <c>ready</c> or <c>advancing</c>.</summary>
[GenerateSerializer, Immutable, Alias("platform.test_clock_snapshot")]
public sealed record TestClockSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string? Name,
    [property: Id(3)] DateTimeOffset FrozenTime,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset Created,
    [property: Id(6)] int CustomerCount);
