using Microsoft.AspNetCore.Mvc;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The 429 a client can act on: which limit ran out, its size and window, whose budget it is, and how it is
/// raised (the tenant override route for the tenant-configurable limits, and the platform-wide setting).
/// </summary>
public static class RateLimitProblem
{
    public static ProblemDetails Create(string policy, RateLimitRule rule, string? tenantId, string? customerId)
    {
        var window = (long)rule.Window.TotalSeconds;
        var scope = ClusterRateLimiter.ScopeOf(policy, tenantId, customerId);
        var setting = RateLimitSettings.ConfigurationKey(policy);
        var route = tenantId is not null && RateLimitPolicies.TenantConfigurable.Contains(policy)
            ? $"/v1/tenants/{tenantId}/rate_limits"
            : null;
        var raise = route is null
            ? $"The platform operator raises it with the setting {setting}."
            : $"The platform operator raises it for this tenant with POST {route} (limits.{policy}.permit_limit and window_seconds), or for every tenant with the setting {setting}.";
        var problem = Problems.Create(429, ErrorCodes.RateLimited,
            $"Too many requests for the '{policy}' limit: {rule.PermitLimit} per {window} s per {scope.Replace('_', ' ')}. "
            + $"Retry after the seconds in Retry-After. {raise}");
        problem.Extensions["limit"] = new Dictionary<string, object?>
        {
            ["name"] = policy,
            ["permit_limit"] = rule.PermitLimit,
            ["window_seconds"] = window,
            ["scope"] = scope,
            ["setting"] = setting,
            ["raise_route"] = route is null ? null : "POST " + route,
        };
        return problem;
    }
}
