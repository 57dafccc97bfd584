using System.Text;
using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>When <see cref="StripeFakeOptions.ApiKey"/> is set, API requests must carry it (Bearer or Basic), else 401.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, StripeFakeOptions options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var isApi = path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/v2/", StringComparison.OrdinalIgnoreCase);
        // The meter event stream authenticates with a session token instead (its handler checks it).
        var isSessionAuthenticated = path.Equals(Billing.MeterEventStreamApi.StreamPath, StringComparison.OrdinalIgnoreCase);
        if (options.ApiKey is null || !isApi || isSessionAuthenticated || PresentedKey(http) == options.ApiKey)
        {
            await next(http);
            return;
        }

        var presented = PresentedKey(http);
        var message = presented is null
            ? "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
            : $"Invalid API Key provided: {Mask(presented)}";
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
        await StripeJson.WriteAsync(http, 401, new JsonObject
        {
            ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = message },
        });
    }

    internal static string? PresentedKey(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.FirstOrDefault();
        if (header is null)
        {
            return null;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                return decoded.Split(':')[0];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private static string Mask(string key) => key.Length <= 8 ? "****" : key[..8] + new string('*', 4) + key[^4..];
}
