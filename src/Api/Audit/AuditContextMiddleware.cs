using Platform.Api.Auth;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Audit;

namespace Platform.Api.Audit;

/// <summary>Puts the request id, the caller and the client address into Orleans' RequestContext, so
/// audit entries written inside grains name them.</summary>
public sealed class AuditContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        AuditContext.Set(context.TraceIdentifier, context.User.ActorOf(), ClientAddress.Of(context));
        return next(context);
    }
}
