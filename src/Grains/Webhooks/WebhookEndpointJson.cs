using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>
/// An endpoint as the API shows it (WebhookEndpointResource in src/Api, without any secret), for the
/// <c>data.object</c> of <c>webhook_endpoint.disabled</c>. Kept field for field with the API resource;
/// a test compares the two.
/// </summary>
public static class WebhookEndpointJson
{
    public static string Render(WebhookEndpointSnapshot endpoint) => new JsonObject
    {
        ["object"] = "webhook_endpoint",
        ["id"] = endpoint.Id,
        ["url"] = endpoint.Url,
        ["enabled_events"] = new JsonArray(endpoint.EnabledEvents.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
        ["description"] = endpoint.Description,
        ["status"] = endpoint.Status == WebhookEndpointStatus.Enabled ? "enabled" : "disabled",
        ["created"] = endpoint.Created.ToUnixTimeSeconds(),
        ["disabled_at"] = endpoint.DisabledAt?.ToUnixTimeSeconds(),
        ["previous_secret_expires_at"] = endpoint.PreviousSecretExpires?.ToUnixTimeSeconds(),
    }.ToJsonString();
}
