using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Which limit applies to a request, and the decision for it. The decision is usually taken by the
/// credential's own grain in the call that verifies the credential (<see cref="Prepare"/> and
/// <see cref="Decided"/>) when that grain is asked at all (the host's credential cache usually answers);
/// otherwise the middleware takes it from this host's <see cref="PermitLeases"/>, which asks the limiter
/// grain only for a new batch, or for every request near the limit.
/// </summary>
public sealed class ClusterRateLimiter(
    PermitLeases leases, IOptionsMonitor<RateLimitSettings> settings, TenantRateLimits tenantLimits, IHostEnvironment environment,
    Telemetry.ApiMetrics metrics)
{
    private const int MaxRememberedCredentials = 100_000;

    // A credential's tenant never changes, so remembering it is safe; the credential is still verified
    // on every request. Bounded: cleared when full (the next request of each just costs one more call).
    private readonly ConcurrentDictionary<string, string> _tenantOfCredential = new(StringComparer.Ordinal);

    /// <summary>The permit this request needs, or null when no limit applies.</summary>
    public async ValueTask<RateLimitRequest?> ResolveAsync(HttpContext context, string? tenantId, string? customerId)
    {
        var current = settings.CurrentValue;
        var endpoint = context.GetEndpoint();
        if (!current.Enabled || endpoint is null || !context.Request.Path.StartsWithSegments("/v1"))
        {
            return null;
        }
        var policy = endpoint.Metadata.GetMetadata<RateLimitPolicyMetadata>()?.Policy ?? RateLimitPolicies.Api;
        if (policy == RateLimitPolicies.Webhook)
        {
            // Spent by the webhook handler once the signature is verified (StripeWebhookApi), never by a post nobody signed.
            return null;
        }
        if (policy == RateLimitPolicies.Api && tenantId is null && context.User.Identity?.IsAuthenticated != true)
        {
            policy = RateLimitPolicies.Anonymous;
        }
        if (policy == RateLimitPolicies.Admin && environment.IsDevelopment() && !current.AdminInDevelopment)
        {
            return null;
        }
        var rule = current.RuleFor(policy);
        if (tenantId is not null && RateLimitPolicies.TenantConfigurable.Contains(policy)
            && await tenantLimits.OverrideAsync(tenantId, policy) is { } tenantRule)
        {
            rule = tenantRule;
        }
        return new RateLimitRequest(policy + "/" + KeyFor(policy, context, tenantId, customerId), rule);
    }

    /// <summary>
    /// Before a credential's grain verifies it: the permit to take in the same call, when this host has
    /// seen the credential before and so knows its tenant; otherwise null (the middleware takes it).
    /// </summary>
    public ValueTask<RateLimitRequest?> Prepare(HttpContext context, string credentialId, string? customerId) =>
        _tenantOfCredential.TryGetValue(credentialId, out var tenantId)
            ? ResolveAsync(context, tenantId, customerId)
            : ValueTask.FromResult<RateLimitRequest?>(null);

    /// <summary>After verification: remembers the credential's tenant and keeps the decision for the middleware.</summary>
    public void Decided(HttpContext context, string credentialId, string tenantId, RateLimitRequest? request, RateLimitDecision? decision)
    {
        if (_tenantOfCredential.Count >= MaxRememberedCredentials)
        {
            _tenantOfCredential.Clear();
        }
        _tenantOfCredential[credentialId] = tenantId;
        if (request is not null && decision is not null)
        {
            context.Features.Set(new TakenPermit(request, decision));
        }
    }

    /// <summary>The decision for this request: the one its credential's grain took, when it took the
    /// permit this request needs, or a call to the limiter grain.</summary>
    public async ValueTask<(string Policy, RateLimitRequest Request, RateLimitDecision Decision)?> DecideAsync(HttpContext context)
    {
        var request = await ResolveAsync(context, context.User.TenantIdOf(), context.User.CustomerIdOf());
        if (request is null)
        {
            return null;
        }
        var policy = request.LimiterKey[..request.LimiterKey.IndexOf('/', StringComparison.Ordinal)];
        if (context.Features.Get<TakenPermit>() is { } taken && taken.Request == request)
        {
            metrics.RateLimitDecided(policy, Telemetry.PermitTakenBy.Credential);
            return (policy, request, taken.Decision);
        }
        var (decision, leased) = await leases.TakeAsync(request);
        metrics.RateLimitDecided(policy, leased ? Telemetry.PermitTakenBy.Lease : Telemetry.PermitTakenBy.Limiter);
        return (policy, request, decision);
    }

    /// <summary>
    /// Whose budget a request spends: a tenant's (its keys and frontend users share one), a customer key's own
    /// (one customer's instance cannot spend its tenant's), the credential's for admin operations and for the
    /// platform operator (so callers sharing an address, as every caller behind an ingress may, never spend
    /// each other's), or, without a credential, the client address's.
    /// </summary>
    private static string KeyFor(string policy, HttpContext context, string? tenantId, string? customerId) => policy switch
    {
        RateLimitPolicies.Webhook => "stripe",
        RateLimitPolicies.Anonymous => ClientAddress.Of(context),
        _ when context.User.Identity?.IsAuthenticated != true => ClientAddress.Of(context),
        RateLimitPolicies.Admin => "credential/" + context.User.ActorOf(),
        _ when tenantId is null => "credential/" + context.User.ActorOf(),
        _ when customerId is not null => $"{tenantId}/{customerId}",
        _ => tenantId,
    };

    /// <summary>What a policy's key is, in words for the 429 (the budget that ran out).</summary>
    public static string ScopeOf(string policy, string? tenantId, string? customerId) => policy switch
    {
        RateLimitPolicies.Webhook => "platform",
        RateLimitPolicies.Anonymous => "client_address",
        RateLimitPolicies.AuthFailures => "credential_and_client_address",
        RateLimitPolicies.Admin => "credential",
        _ when tenantId is null => "credential",
        _ when customerId is not null => "customer_key",
        _ => "tenant",
    };

    private sealed record TakenPermit(RateLimitRequest Request, RateLimitDecision Decision);
}
