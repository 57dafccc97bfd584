using System.Diagnostics;
using System.Security.Claims;
using Platform.Api.Auth;

namespace Platform.Api.Telemetry;

/// <summary>
/// After authentication: puts who is calling into every log line of the request (a logging scope next
/// to ASP.NET Core's own RequestId/TraceId scope), onto the request's trace span, and into Orleans'
/// RequestContext so grain-side log lines carry the same request id and tenant. Only identifiers:
/// the credential itself never enters a scope.
/// </summary>
public sealed class CallerLogScopeMiddleware(RequestDelegate next, ILogger<CallerLogScopeMiddleware> logger)
{
    public const string RequestIdKey = "platform.request_id";
    public const string TenantIdKey = "platform.tenant_id";

    public async Task InvokeAsync(HttpContext context)
    {
        var caller = context.User.FindFirstValue(PlatformClaims.Caller);
        var tenantId = context.User.FindFirstValue(PlatformClaims.TenantId);
        var credentialId = context.User.CredentialIdOf();

        var activity = Activity.Current;
        activity?.SetTag("platform.caller", caller);
        activity?.SetTag("platform.tenant_id", tenantId);

        // Orleans carries RequestContext with every grain call made from this async flow.
        Orleans.Runtime.RequestContext.Set(RequestIdKey, context.TraceIdentifier);
        if (tenantId is not null)
        {
            Orleans.Runtime.RequestContext.Set(TenantIdKey, tenantId);
        }

        var scope = new Dictionary<string, object?>
        {
            ["caller"] = caller ?? "anonymous",
        };
        if (tenantId is not null)
        {
            scope["tenant_id"] = tenantId;
        }
        if (credentialId is not null)
        {
            scope["credential_id"] = credentialId;
        }
        using (logger.BeginScope(scope))
        {
            await next(context);
        }
    }
}
