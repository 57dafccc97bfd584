using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

[GenerateSerializer, Alias("platform.webhook_endpoint_state")]
public sealed class WebhookEndpointState
{
    [Id(0)] public string? Id { get; set; }

    [Id(1)] public string Url { get; set; } = "";

    [Id(2)] public List<string> EnabledEvents { get; set; } = [];

    [Id(3)] public string? Description { get; set; }

    [Id(4)] public WebhookEndpointStatus Status { get; set; } = WebhookEndpointStatus.Enabled;

    [Id(5)] public DateTimeOffset Created { get; set; }

    [Id(6)] public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Newest first. Only ciphertexts: the plaintext secret is never stored.</summary>
    [Id(7)] public List<WebhookSecretRecord> Secrets { get; set; } = [];

    /// <summary>The first failed attempt since the last success; cleared by a success.</summary>
    [Id(8)] public DateTimeOffset? FailingSince { get; set; }
}
