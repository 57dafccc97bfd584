namespace Platform.Grains.Interfaces.Audit;

/// <summary>
/// Who is acting and from where, carried from the API into grains by Orleans' RequestContext, so an
/// audit entry written deep in a grain still names the request id, the caller and the client address.
/// </summary>
public static class AuditContext
{
    private const string RequestIdKey = "platform.request_id";
    private const string ActorKey = "platform.actor";
    private const string IpKey = "platform.ip";

    public static void Set(string requestId, string actor, string? ip)
    {
        RequestContext.Set(RequestIdKey, requestId);
        RequestContext.Set(ActorKey, actor);
        if (ip is not null)
        {
            RequestContext.Set(IpKey, ip);
        }
    }

    public static string? RequestId => RequestContext.Get(RequestIdKey) as string;

    public static string Actor => RequestContext.Get(ActorKey) as string ?? "system";

    public static string? Ip => RequestContext.Get(IpKey) as string;
}
