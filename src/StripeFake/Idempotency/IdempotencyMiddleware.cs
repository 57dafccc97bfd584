using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Platform.StripeFake.Requests;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Idempotency;

/// <summary>
/// Stripe's idempotency for POSTs: the first response to a key is stored (errors the endpoint produced
/// included) and replayed with <c>Idempotent-Replayed: true</c>; a key reused with other parameters is a
/// 400 <c>idempotency_error</c>; a key whose first request is still running is a 409.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store)
{
    private const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var path = http.Request.Path.Value ?? "/";
        if (!HttpMethods.IsPost(http.Request.Method) || string.IsNullOrEmpty(key)
            || !(path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/v2/", StringComparison.OrdinalIgnoreCase)))
        {
            await next(http);
            return;
        }

        if (key.Length > MaxKeyLength)
        {
            await StripeJson.WriteAsync(http, 400, Error(
                "invalid_request_error",
                $"Invalid Idempotency-Key: the key must be at most {MaxKeyLength} characters long."));
            return;
        }

        var scope = ApiKeyMiddleware.PresentedKey(http) ?? string.Empty;
        var body = await FormRequest.ReadBodyAsync(http);
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Method + " " + path + "\n" + body)));
        var (entry, isNew) = store.Begin(scope, key, fingerprint);
        if (!isNew)
        {
            await AnswerRepeatAsync(http, key, entry, fingerprint);
            return;
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch
        {
            store.Abandon(scope, key, entry);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }

        var status = http.Response.StatusCode;
        if (status is 409 or 429 or >= 500)
        {
            // Stripe keeps no result for requests that did not run to completion.
            store.Abandon(scope, key, entry);
        }
        else
        {
            entry.Response = new StoredResponse(
                status,
                http.Response.ContentType,
                buffer.ToArray(),
                http.Items.TryGetValue(RequestLogMiddleware.RequestIdKey, out var id) ? id as string : null);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task AnswerRepeatAsync(HttpContext http, string key, IdempotencyEntry entry, string fingerprint)
    {
        if (entry.Fingerprint != fingerprint)
        {
            await StripeJson.WriteAsync(http, 400, Error(
                "idempotency_error",
                $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."));
            return;
        }

        if (entry.Response is not { } stored)
        {
            await StripeJson.WriteAsync(http, 409, Error(
                "idempotency_error",
                "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " + key + ". Please try again later."));
            return;
        }

        http.Items[RequestLogMiddleware.ReplayedKey] = true;
        http.Response.StatusCode = stored.StatusCode;
        http.Response.ContentType = stored.ContentType ?? "application/json";
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (stored.RequestId is not null)
        {
            http.Response.Headers["Original-Request"] = stored.RequestId;
        }

        await http.Response.Body.WriteAsync(stored.Body, http.RequestAborted);
    }

    private static JsonObject Error(string type, string message) =>
        new() { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } };
}
