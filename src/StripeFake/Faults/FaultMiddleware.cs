using System.Text.Json.Nodes;
using Platform.StripeFake.Requests;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Faults;

/// <summary>
/// Applies armed faults. It sits outside the idempotency layer, so "after commit" faults hold back a
/// response whose effect (and idempotent result) is already stored: a retry with the same key replays it.
/// </summary>
internal sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var isControl = path.StartsWith("/_fake", StringComparison.OrdinalIgnoreCase);
        var body = !isControl && faults.NeedsBody ? await FormRequest.ReadBodyAsync(http) : string.Empty;
        var rule = isControl ? null : faults.Take(http.Request.Method, path, body);
        if (rule is null)
        {
            await next(http);
            return;
        }

        http.Items[RequestLogMiddleware.FaultKey] = rule.Kind.ToString();
        switch (rule.Kind)
        {
            case FaultKind.ServerError:
                await StripeJson.WriteAsync(http, rule.StatusCode, Error("api_error", null, "An unknown error occurred (injected by the Stripe fake)."));
                return;
            case FaultKind.RateLimit:
                await StripeJson.WriteAsync(http, 429, Error(
                    "invalid_request_error",
                    "rate_limit",
                    "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits."));
                return;
            case FaultKind.Refusal:
                await StripeJson.WriteAsync(http, rule.StatusCode, Error("invalid_request_error", rule.ErrorCode,
                    "The request was refused (injected by the Stripe fake)."));
                return;
            case FaultKind.DelayBeforeProcessing:
                if (await DelayAsync(rule.Delay, http.RequestAborted))
                {
                    await next(http);
                }

                return;
            case FaultKind.DelayAfterCommit:
            case FaultKind.DropAfterCommit:
                await CommitThenHoldAsync(http, rule);
                return;
            default:
                await next(http);
                return;
        }
    }

    private async Task CommitThenHoldAsync(HttpContext http, FaultRule rule)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        if (rule.Kind == FaultKind.DropAfterCommit)
        {
            http.Abort();
            return;
        }

        if (await DelayAsync(rule.Delay, http.RequestAborted))
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted);
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(delay, aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static JsonObject Error(string type, string? code, string message)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
        }

        return new JsonObject { ["error"] = error };
    }
}
