using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.CardData;

namespace Platform.Api.Security;

/// <summary>
/// Reads a request the way its handler will — the path, the query, the headers we store or log, and the
/// body decoded by its charset exactly as the JSON binder decodes it, then each JSON string and field name
/// unescaped — and judges every part with <see cref="CardDataDetector"/>. A body in a charset that cannot
/// be decoded is refused (415) rather than passed unread, and a JSON string that is not valid UTF-16 (a
/// lone surrogate escape) is refused as invalid JSON before any reader meets it.
/// </summary>
public static class RequestCardDataInspector
{
    /// <summary>Headers whose values are stored (Idempotency-Key: refunds, Stripe requests) or may be logged.</summary>
    public static readonly string[] GuardedHeaders = ["Idempotency-Key", "User-Agent", "Referer", "X-Request-Id", "X-Correlation-Id"];

    public static async Task<RequestRefusal?> InspectAsync(HttpRequest request, long maxBodyBytes)
    {
        if (SensitiveDataScanner.Find(Unescape(request.Path.Value ?? "")) is { } inPath)
        {
            return CardData(inPath, "path");
        }
        if (InQuery(request) is { } inQuery)
        {
            return CardData(inQuery, "query");
        }
        foreach (var header in GuardedHeaders)
        {
            foreach (var value in request.Headers[header])
            {
                if (value is not null && SensitiveDataScanner.Find(value) is { } inHeader)
                {
                    return CardData(inHeader, header);
                }
            }
        }
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return null;
        }
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed : null;
        var encoding = EncodingOf(mediaType);
        if (encoding is null)
        {
            return new RequestRefusal(415, ErrorCodes.UnsupportedMediaType,
                $"The charset '{mediaType!.Charset}' is not one this API reads. Send the body as application/json in UTF-8.", null);
        }
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: maxBodyBytes);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        var bytes = buffer.ToArray();
        var text = encoding.GetString(bytes);
        if (SensitiveDataScanner.Find(text) is { } inBody)
        {
            return CardData(inBody, "body");
        }
        if (mediaType?.MediaType.Value is { } type && type.EndsWith("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return InPairs(QueryHelpers.ParseQuery(text).Select(p => (p.Key, (IEnumerable<string?>)p.Value)), "body");
        }
        return InJson(encoding.CodePage == Encoding.UTF8.CodePage ? bytes : Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The body's encoding as the binder picks it: UTF-8 without a charset, else the named one; null when unknown.</summary>
    private static Encoding? EncodingOf(MediaTypeHeaderValue? mediaType)
    {
        var charset = mediaType?.Charset.Value?.Trim('"');
        if (string.IsNullOrEmpty(charset))
        {
            return Encoding.UTF8;
        }
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? InQuery(HttpRequest request)
    {
        if (!request.QueryString.HasValue)
        {
            return null;
        }
        return SensitiveDataScanner.Find(Unescape(request.QueryString.Value!))
            ?? InPairs(request.Query.Select(p => (p.Key, (IEnumerable<string?>)p.Value)), "query")?.Kind;
    }

    private static RequestRefusal? InPairs(IEnumerable<(string Key, IEnumerable<string?> Values)> pairs, string where)
    {
        foreach (var (key, values) in pairs)
        {
            if (CardDataDetector.CardDataKeyKind(key) is { } keyKind)
            {
                return CardData(keyKind, where);
            }
            foreach (var value in values)
            {
                if (value is not null && SensitiveDataScanner.Find(key + "=" + value) is { } kind)
                {
                    return CardData(kind, where);
                }
            }
        }
        return null;
    }

    /// <summary>Every field name and string value, unescaped as a deserializer will see it.</summary>
    private static RequestRefusal? InJson(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        string? field = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
                {
                    continue;
                }
                string value;
                try
                {
                    value = reader.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    // Names the field whose value it is; a field name that is itself invalid cannot be named.
                    return new RequestRefusal(400, ErrorCodes.InvalidJson,
                        "The body holds a JSON string that is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800).", null,
                        reader.TokenType == JsonTokenType.String ? field : null);
                }
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    field = value;
                }
                var kind = reader.TokenType == JsonTokenType.PropertyName
                    ? CardDataDetector.CardDataKeyKind(value) ?? SensitiveDataScanner.Find(value)
                    : SensitiveDataScanner.Find(value);
                if (kind is not null)
                {
                    return CardData(kind, "body");
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw text was judged above, and the route's binder refuses it.
        }
        return null;
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    private static RequestRefusal CardData(string kind, string where) => new(400, ErrorCodes.CardDataForbidden,
        $"The request's {where} holds what looks like a {kind}. Card data never goes to this API: collect it with Stripe Elements or Checkout and send the resulting pm_… id.",
        kind);
}
