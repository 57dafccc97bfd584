using System.Collections;

namespace Platform.Silo.Telemetry;

/// <summary>
/// Every log line written during a grain call carries the grain's id and method, and the request id and
/// tenant the API put into Orleans' RequestContext (see the API's CallerLogScopeMiddleware), so a grain's
/// log line can be joined to the HTTP request that caused it. Identifiers only; never arguments. The
/// scope is a small object read only when a line is written: most grain calls write none.
/// </summary>
public sealed class GrainLogScopeFilter(ILogger<GrainLogScopeFilter> logger) : IIncomingGrainCallFilter
{
    // The API's keys; repeated here because the silo does not reference the API.
    public const string RequestIdKey = "platform.request_id";
    public const string TenantIdKey = "platform.tenant_id";

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        using (logger.BeginScope(new GrainCallScope(context.TargetId, context.InterfaceMethod?.Name,
            RequestContext.Get(RequestIdKey) as string, RequestContext.Get(TenantIdKey) as string)))
        {
            await context.Invoke();
        }
    }

    private sealed class GrainCallScope(GrainId grain, string? method, string? requestId, string? tenantId)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private KeyValuePair<string, object?>[]? _pairs;

        private KeyValuePair<string, object?>[] Pairs => _pairs ??=
        [
            new("grain_id", grain.ToString()),
            new("grain_method", method),
            .. requestId is null ? Array.Empty<KeyValuePair<string, object?>>() : [new("request_id", requestId)],
            .. tenantId is null ? Array.Empty<KeyValuePair<string, object?>>() : [new("tenant_id", tenantId)],
        ];

        public int Count => Pairs.Length;

        public KeyValuePair<string, object?> this[int index] => Pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Pairs).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"grain_id:{grain} grain_method:{method}";
    }
}
