using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Requests;

/// <summary>Gives each request a <c>Request-Id</c> and records it in the <see cref="RequestLog"/>.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, StripeFakeOptions options)
{
    public const string RequestIdKey = "stripefake.request_id";
    public const string ReplayedKey = "stripefake.replayed";
    public const string FaultKey = "stripefake.fault";

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.StartsWith("/_fake", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/checkout", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        var requestId = StripeJson.NewRequestId();
        http.Items[RequestIdKey] = requestId;
        http.Response.Headers["Request-Id"] = requestId;
        var body = await FormRequest.ReadBodyAsync(http);
        try
        {
            await next(http);
        }
        finally
        {
            log.Add(new RecordedRequest(
                requestId,
                http.Request.Method,
                path,
                http.Request.QueryString.HasValue ? http.Request.QueryString.Value : null,
                http.Request.Headers["Idempotency-Key"].FirstOrDefault(),
                http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted ? 499 : http.Response.StatusCode,
                http.Items.ContainsKey(ReplayedKey),
                http.Items.TryGetValue(FaultKey, out var fault) ? fault as string : null,
                body,
                options.TimeProvider.GetUtcNow()));
        }
    }
}
