namespace Platform.Api.RateLimiting;

public static class ClientAddress
{
    /// <summary>The client's address as the connection (or trusted forwarded headers) says.</summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
