using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Api.Webhooks;

/// <summary>An event as tenants receive it by webhook (the same fields, the same <c>data.object</c>).</summary>
public sealed record EventResource(string Id, string ApiVersion, long Created, string Type, EventDataResource Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "event";

    public static EventResource From(PlatformEvent platformEvent)
    {
        using var data = JsonDocument.Parse(platformEvent.DataJson);
        return new(platformEvent.Id, EventTypes.ApiVersion, UnixTime.Seconds(platformEvent.Created), platformEvent.Type,
            new EventDataResource(data.RootElement.Clone()));
    }
}

public sealed record EventDataResource(JsonElement Object);
