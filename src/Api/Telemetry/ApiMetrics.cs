using System.Diagnostics.Metrics;

namespace Platform.Api.Telemetry;

/// <summary>
/// The API side's meter, <c>Platform.Api</c>: refusals that happen at the door, before any grain call.
/// One singleton per API host; handlers, middleware and filters take it from DI and call the method
/// that names what happened. Prometheus sees <c>platform_api_&lt;name&gt;_total</c>. Tag values come
/// from small fixed sets (error codes, policy names, route templates), never from ids or input.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "Platform.Api";

    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _panRejections;
    private readonly Counter<long> _rateLimitDecisions;
    private readonly Counter<long> _credentialVerifications;
    private readonly Counter<long> _blockedRequests;
    private long _panRejectionsTotal;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _authFailures = meter.CreateCounter<long>("platform.api.auth_failures", "{request}",
            "Requests refused by authentication (401) or authorization (403), by scheme and error code.");
        _rateLimitRejections = meter.CreateCounter<long>("platform.api.rate_limit_rejections", "{request}",
            "Requests answered 429, by rate-limit policy.");
        _rateLimitDecisions = meter.CreateCounter<long>("platform.api.rate_limit_decisions", "{request}",
            "Rate-limit permits asked for, by policy and by who took them: the credential's grain in the call that verified it (credential), a call of its own to the limiter grain (limiter), or a permit this host had leased (lease).");
        _credentialVerifications = meter.CreateCounter<long>("platform.api.credential_verifications", "{request}",
            "Tenant and customer keys accepted, by scheme and by who vouched for them: this host's cache (cache) or the key's grain (grain).");
        _blockedRequests = meter.CreateCounter<long>("platform.api.blocked_requests", "{request}",
            "Requests refused because the client address is on the operator's blocklist");
        _panRejections = meter.CreateCounter<long>("platform.api.pan_rejections", "{request}",
            "Request bodies refused because they held a card number (400 card_data_forbidden), by route template.");
    }

    /// <summary>A 401 or 403. <paramref name="code"/> is the problem's stable code, e.g. <c>invalid_api_key</c>.</summary>
    public void AuthFailed(string scheme, string code) =>
        _authFailures.Add(1, new("scheme", scheme), new("code", code));

    public void AddressBlocked() => _blockedRequests.Add(1);

    public void RateLimitRejected(string policy) =>
        _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void RateLimitDecided(string policy, PermitTakenBy takenBy) =>
        _rateLimitDecisions.Add(1, new("policy", policy), new("taken_by", takenBy switch
        {
            PermitTakenBy.Credential => "credential",
            PermitTakenBy.Lease => "lease",
            _ => "limiter",
        }));

    /// <summary>Who answered a request's credential: this host's cache, or the credential's grain.</summary>
    public void CredentialVerified(string scheme, bool fromCache) =>
        _credentialVerifications.Add(1, new("scheme", scheme), new("source", fromCache ? "cache" : "grain"));

    /// <summary><paramref name="route"/> is the endpoint's template (e.g. <c>/v1/customers/{id}</c>), never the raw path.</summary>
    public void PanRejected(string route)
    {
        _panRejections.Add(1, new KeyValuePair<string, object?>("route", route));
        Interlocked.Increment(ref _panRejectionsTotal);
    }

    /// <summary>Card-data refusals by this host since it started (evidence for the compliance report).</summary>
    public long PanRejectionsTotal => Interlocked.Read(ref _panRejectionsTotal);
}
