using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>Stripe's wire conventions: prefixed ids, Unix seconds, JSON bodies, lists.</summary>
internal static class StripeJson
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewId(string prefix, int length = 24) =>
        prefix + "_" + RandomNumberGenerator.GetString(Alphabet, length);

    public static string NewSecret(string id) => id + "_secret_" + RandomNumberGenerator.GetString(Alphabet, 25);

    public static string NewRequestId() => NewId("req", 14);

    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>An integer field, whichever CLR type the node was built from.</summary>
    public static long Long(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value => long.Parse(value.ToJsonString().Trim('"'), System.Globalization.CultureInfo.InvariantCulture),
        _ => 0,
    };

    public static IResult Ok(JsonObject body) => new JsonNodeResult(200, body);

    public static async Task WriteAsync(HttpContext http, int statusCode, JsonNode body)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, http.RequestAborted);
    }

    public static JsonObject List(string url, IEnumerable<JsonObject> items, FormRequest query)
    {
        var all = items.ToList();
        var limit = (int)Math.Clamp(query.GetLong("limit") ?? 10, 1, 100);
        var startingAfter = query.GetString("starting_after");
        var endingBefore = query.GetString("ending_before");
        var start = 0;
        var end = all.Count;
        if (startingAfter is not null)
        {
            start = all.FindIndex(o => (string?)o["id"] == startingAfter) + 1;
        }
        else if (endingBefore is not null)
        {
            end = Math.Max(0, all.FindIndex(o => (string?)o["id"] == endingBefore));
            start = Math.Max(0, end - limit);
        }

        var page = all.Skip(start).Take(Math.Min(limit, end - start)).ToList();
        var data = new JsonArray();
        foreach (var item in page)
        {
            data.Add(item.DeepClone());
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["url"] = url,
            ["has_more"] = start + page.Count < end,
            ["data"] = data,
        };
    }

    /// <summary>Applies <c>expand[]</c> paths such as <c>latest_charge</c> or <c>data.customer</c>.</summary>
    public static void Expand(JsonObject target, IEnumerable<string> paths, Func<string, JsonObject?> find)
    {
        foreach (var path in paths)
        {
            ExpandPath(target, path.Split('.'), 0, find);
        }
    }

    private static void ExpandPath(JsonNode? node, string[] segments, int index, Func<string, JsonObject?> find)
    {
        if (node is not JsonObject obj || index >= segments.Length)
        {
            return;
        }

        var field = segments[index];
        if (obj[field] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue value && value.TryGetValue<string>(out var itemId) && find(itemId) is { } found)
                {
                    array[i] = found;
                }

                ExpandPath(array[i], segments, index + 1, find);
            }

            return;
        }

        if (obj[field] is JsonValue idValue && idValue.TryGetValue<string>(out var id) && find(id) is { } expanded)
        {
            obj[field] = expanded;
        }

        ExpandPath(obj[field], segments, index + 1, find);
    }
}
