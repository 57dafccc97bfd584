using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>Stripe's metadata rules: keys merge on update, an empty value unsets a key, <c>metadata=</c> clears all.</summary>
internal static class Metadata
{
    public static void Apply(JsonObject target, JsonNode? source)
    {
        if (target["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            target["metadata"] = metadata;
        }

        switch (source)
        {
            case JsonValue value when value.ToString().Length == 0:
                metadata.Clear();
                break;
            case JsonObject pairs:
                foreach (var (key, item) in pairs)
                {
                    var text = item is JsonValue v ? v.ToString() : item?.ToJsonString() ?? string.Empty;
                    if (text.Length == 0)
                    {
                        metadata.Remove(key);
                    }
                    else
                    {
                        metadata[key] = text;
                    }
                }

                break;
        }
    }
}
