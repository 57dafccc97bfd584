namespace Platform.Silo.Telemetry;

/// <summary>
/// Every log line written during a grain call carries the grain's id and method, and the request id and
/// tenant the API put into Orleans' RequestContext (see the API's CallerLogScopeMiddleware), so a grain's
/// log line can be joined to the HTTP request that caused it. Identifiers only; never arguments.
/// </summary>
public sealed class GrainLogScopeFilter(ILogger<GrainLogScopeFilter> logger) : IIncomingGrainCallFilter
{
    // The API's keys; repeated here because the silo does not reference the API.
    public const string RequestIdKey = "platform.request_id";
    public const string TenantIdKey = "platform.tenant_id";

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var scope = new Dictionary<string, object?>
        {
            ["grain_id"] = context.TargetId.ToString(),
            ["grain_method"] = context.InterfaceMethod?.Name,
        };
        if (RequestContext.Get(RequestIdKey) is string requestId)
        {
            scope["request_id"] = requestId;
        }
        if (RequestContext.Get(TenantIdKey) is string tenantId)
        {
            scope["tenant_id"] = tenantId;
        }
        using (logger.BeginScope(scope))
        {
            await context.Invoke();
        }
    }
}
