using Platform.Api.Errors;
using Platform.Api.Telemetry;

namespace Platform.Api.Security;

/// <summary>
/// Refuses requests from a blocked client address (after trusted forwarded headers set it) before
/// authentication: a blocked caller's credentials are never checked, so it spends no grain call, fills no
/// lockout counter and writes no <c>authentication.failed</c> entry.
/// </summary>
public sealed class AddressBlocklistMiddleware(RequestDelegate next, BlockedAddresses blocked, ApiMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!blocked.IsBlocked(context.Connection.RemoteIpAddress))
        {
            await next(context);
            return;
        }
        metrics.AddressBlocked();
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.AddressBlocked,
                "Requests from this client address are blocked by the platform operator."),
        });
    }
}
