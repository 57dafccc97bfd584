namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>One POST to the endpoint: the status code (null when no response came) and why it failed.</summary>
[GenerateSerializer, Immutable, Alias("platform.webhook_attempt")]
public sealed record WebhookAttempt(
    [property: Id(0)] int Number,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] int LatencyMs,
    [property: Id(4)] string? Error);
