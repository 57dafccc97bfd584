namespace Platform.Grains.Interfaces.StripeWebhooks;

[GenerateSerializer, Immutable, Alias("platform.webhook_sweep_result")]
public sealed record WebhookSweepResult(
    [property: Id(0)] int Retried,
    [property: Id(1)] int Processed,
    [property: Id(2)] int Purged);
