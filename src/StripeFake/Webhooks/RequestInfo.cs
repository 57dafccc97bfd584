namespace Platform.StripeFake.Webhooks;

/// <summary>The API request that caused an event (Stripe's <c>event.request</c>); null members for automatic events.</summary>
internal sealed record RequestInfo(string? Id, string? IdempotencyKey)
{
    public static readonly RequestInfo Automatic = new(null, null);

    public static RequestInfo From(HttpContext http) => new(
        http.Items.TryGetValue(Requests.RequestLogMiddleware.RequestIdKey, out var id) ? id as string : null,
        http.Request.Headers["Idempotency-Key"].FirstOrDefault());
}
