using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>
/// The body tenants receive: Stripe's event shape (<c>id</c>, <c>object: "event"</c>, <c>api_version</c>,
/// <c>created</c>, <c>type</c>, <c>data.object</c>), so Stripe's libraries parse it. The same bytes on
/// every attempt of a delivery; <c>created</c> lets receivers order events that arrive out of order.
/// </summary>
public static class EventJson
{
    public static string Render(PlatformEvent platformEvent) => new JsonObject
    {
        ["id"] = platformEvent.Id,
        ["object"] = "event",
        ["api_version"] = EventTypes.ApiVersion,
        ["created"] = platformEvent.Created.ToUnixTimeSeconds(),
        ["type"] = platformEvent.Type,
        ["data"] = new JsonObject { ["object"] = JsonNode.Parse(platformEvent.DataJson) },
    }.ToJsonString();
}
