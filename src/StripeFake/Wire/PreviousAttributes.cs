using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>An event's <c>data.previous_attributes</c>: the old values of the top-level fields that changed.</summary>
internal static class PreviousAttributes
{
    public static JsonObject Compute(JsonObject before, JsonObject after)
    {
        var previous = new JsonObject();
        foreach (var (key, oldValue) in before)
        {
            if (!JsonNode.DeepEquals(oldValue, after[key]))
            {
                previous[key] = oldValue?.DeepClone();
            }
        }

        return previous;
    }
}
