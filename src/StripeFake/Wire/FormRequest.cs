using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>
/// Stripe's form encoding (<c>a[b][0][c]=v</c>, <c>expand[]=x</c>, <c>metadata[k]=v</c>) parsed into a
/// JSON tree: bracketed names become objects, all-numeric or empty indexes become arrays.
/// </summary>
internal sealed class FormRequest
{
    private static readonly object _cacheKey = new();

    private FormRequest(JsonObject root, string rawBody)
    {
        Root = root;
        RawBody = rawBody;
    }

    public JsonObject Root { get; }

    public string RawBody { get; }

    public IReadOnlyList<string> Expand => GetStrings("expand");

    /// <summary>Reads the body (POST) or the query string (GET, DELETE), once per request.</summary>
    public static async Task<FormRequest> ReadAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(_cacheKey, out var cached) && cached is FormRequest form)
        {
            return form;
        }

        var body = await ReadBodyAsync(http);
        var query = http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : string.Empty;
        JsonObject root;
        var contentType = http.Request.ContentType ?? string.Empty;
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase) && body.Length > 0)
        {
            try
            {
                root = JsonNode.Parse(body) as JsonObject ?? [];
            }
            catch (JsonException)
            {
                throw StripeApiException.InvalidRequest("Invalid JSON body.");
            }
        }
        else
        {
            root = Parse(body);
        }

        foreach (var (key, value) in Parse(query))
        {
            root.TryAdd(key, value?.DeepClone());
        }

        form = new FormRequest(root, body);
        http.Items[_cacheKey] = form;
        return form;
    }

    public static async Task<string> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength is 0 || !HttpMethods.IsPost(http.Request.Method))
        {
            return string.Empty;
        }

        http.Request.EnableBuffering();
        http.Request.Body.Position = 0;
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        return body;
    }

    public static JsonObject Parse(string encoded)
    {
        var root = new JsonObject();
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            Insert(root, Segments(name), value);
        }

        return (JsonObject)Normalize(root);
    }

    public string? GetString(string name) => GetString(Root, name);

    public long? GetLong(string name) => GetLong(Root, name);

    public bool? GetBool(string name) => GetBool(Root, name);

    public JsonObject? GetObject(string name) => Root[name] as JsonObject;

    public bool Has(string name) => Root.ContainsKey(name);

    public IReadOnlyList<string> GetStrings(string name) => Root[name] switch
    {
        JsonArray array => [.. array.Select(n => n is JsonValue v ? v.ToString() : null).OfType<string>()],
        JsonValue value => [value.ToString()],
        _ => [],
    };

    public IReadOnlyList<JsonObject> GetObjects(string name) =>
        Root[name] is JsonArray array ? [.. array.OfType<JsonObject>()] : [];

    public static string? GetString(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue value => value.ToString(),
        _ => null,
    };

    public static long? GetLong(JsonObject obj, string name)
    {
        var text = GetString(obj, name);
        if (text is null || text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw StripeApiException.InvalidRequest($"Invalid integer: {text}", name);
    }

    public static bool? GetBool(JsonObject obj, string name)
    {
        var text = GetString(obj, name);
        if (text is null || text.Length == 0)
        {
            return null;
        }

        return bool.TryParse(text, out var flag)
            ? flag
            : throw StripeApiException.InvalidRequest($"Invalid boolean: {text}", name);
    }

    public string Require(string name) =>
        GetString(name) is { Length: > 0 } value
            ? value
            : throw StripeApiException.InvalidRequest($"Missing required param: {name}.", name, "parameter_missing");

    private static List<string> Segments(string name)
    {
        var open = name.IndexOf('[');
        if (open < 0)
        {
            return [name];
        }

        var segments = new List<string> { name[..open] };
        var rest = name[open..];
        while (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                break;
            }

            segments.Add(rest[1..close]);
            rest = rest[(close + 1)..];
        }

        return segments;
    }

    private static void Insert(JsonObject root, List<string> segments, string value)
    {
        var current = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var key = segments[i].Length == 0 ? current.Count.ToString(CultureInfo.InvariantCulture) : segments[i];
            if (i == segments.Count - 1)
            {
                current[key] = value;
                return;
            }

            if (current[key] is not JsonObject child)
            {
                child = [];
                current[key] = child;
            }

            current = child;
        }
    }

    private static JsonNode Normalize(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            return node.DeepClone();
        }

        var entries = obj.Select(p => (p.Key, Value: Normalize(p.Value!))).ToList();
        if (entries.Count > 0 && entries.All(e => int.TryParse(e.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var array = new JsonArray();
            foreach (var entry in entries.OrderBy(e => int.Parse(e.Key, CultureInfo.InvariantCulture)))
            {
                array.Add(entry.Value);
            }

            return array;
        }

        var result = new JsonObject();
        foreach (var (key, value) in entries)
        {
            result[key] = value;
        }

        return result;
    }
}
