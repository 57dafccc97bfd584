using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Api.Webhooks;

/// <summary>An endpoint; never its secret (see <see cref="IssuedWebhookEndpointResource"/>).</summary>
public sealed record WebhookEndpointResource(
    string Id, string Url, IReadOnlyList<string> EnabledEvents, string? Description, string Status, long Created,
    long? DisabledAt, long? PreviousSecretExpiresAt)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_endpoint";

    public static WebhookEndpointResource From(WebhookEndpointSnapshot endpoint) => new(
        endpoint.Id, endpoint.Url, endpoint.EnabledEvents, endpoint.Description, StatusName(endpoint.Status),
        UnixTime.Seconds(endpoint.Created), endpoint.DisabledAt is { } d ? UnixTime.Seconds(d) : null,
        endpoint.PreviousSecretExpires is { } p ? UnixTime.Seconds(p) : null);

    public static string StatusName(WebhookEndpointStatus status) => status == WebhookEndpointStatus.Enabled ? "enabled" : "disabled";
}

/// <summary>The reply to create and rotate_secret: the only time the signing secret is shown.</summary>
public sealed record IssuedWebhookEndpointResource(
    string Id, string Url, IReadOnlyList<string> EnabledEvents, string? Description, string Status, long Created,
    long? DisabledAt, long? PreviousSecretExpiresAt, string Secret)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_endpoint";

    public static IssuedWebhookEndpointResource From(IssuedWebhookSecret issued)
    {
        var e = WebhookEndpointResource.From(issued.Endpoint);
        return new(e.Id, e.Url, e.EnabledEvents, e.Description, e.Status, e.Created, e.DisabledAt, e.PreviousSecretExpiresAt, issued.Secret);
    }
}

public sealed record DeletedWebhookEndpointResource(string Id, bool Deleted)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_endpoint";
}

public sealed record CreateWebhookEndpointRequest([property: RequiredField] string? Url, [property: RequiredField] List<string>? EnabledEvents, string? Description);

public sealed record RotateWebhookSecretRequest(long? OverlapSeconds);

public sealed record WebhookAttemptResource(int Number, long Created, int? StatusCode, int LatencyMs, string? Error);

public sealed record WebhookDeliveryResource(
    string Id, string WebhookEndpoint, string Event, string EventType, string Status, int AttemptCount,
    IReadOnlyList<WebhookAttemptResource> Attempts, long? NextAttemptAt, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_delivery";

    public static WebhookDeliveryResource From(WebhookDeliverySnapshot delivery) => new(
        delivery.Id, delivery.EndpointId, delivery.EventId, delivery.EventType, StatusName(delivery.Status), delivery.Attempts.Count,
        delivery.Attempts.Select(a => new WebhookAttemptResource(a.Number, UnixTime.Seconds(a.At), a.StatusCode, a.LatencyMs, a.Error)).ToArray(),
        delivery.NextAttempt is { } next ? UnixTime.Seconds(next) : null, UnixTime.Seconds(delivery.Created));

    public static string StatusName(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "pending",
        WebhookDeliveryStatus.Succeeded => "succeeded",
        _ => "failed",
    };

    public static WebhookDeliveryStatus? ParseStatus(string? name) => name switch
    {
        "pending" => WebhookDeliveryStatus.Pending,
        "succeeded" => WebhookDeliveryStatus.Succeeded,
        "failed" => WebhookDeliveryStatus.Failed,
        _ => null,
    };
}
