using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Rate limits held in grains: one <see cref="IRateLimiterGrain"/> per policy and key, so the count is
/// exact across any number of API replicas. ASP.NET Core's own RateLimiter middleware partitions in
/// process memory and offers no hook to put RateLimit-* headers on allowed responses; a cluster-wide
/// limit needs a grain call either way, so this middleware makes that one call and writes the headers.
/// </summary>
public sealed class ClusterRateLimitingMiddleware(
    RequestDelegate next, IGrainFactory grains, IOptionsMonitor<RateLimitSettings> settings,
    TenantRateLimits tenantLimits, IHostEnvironment environment, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var current = settings.CurrentValue;
        var endpoint = context.GetEndpoint();
        if (!current.Enabled || endpoint is null || !context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }
        var policy = endpoint.Metadata.GetMetadata<RateLimitPolicyMetadata>()?.Policy ?? RateLimitPolicies.Api;
        if (policy == RateLimitPolicies.Admin && environment.IsDevelopment() && !current.AdminInDevelopment)
        {
            await next(context);
            return;
        }
        var tenantId = context.User.TenantIdOf();
        var rule = current.RuleFor(policy);
        if (tenantId is not null && RateLimitPolicies.TenantConfigurable.Contains(policy)
            && await tenantLimits.OverrideAsync(tenantId, policy) is { } tenantRule)
        {
            rule = tenantRule;
        }
        var decision = await grains.GetGrain<IRateLimiterGrain>(policy + "/" + KeyFor(policy, context, tenantId)).AcquireAsync(rule);
        RateLimitHeaders.Write(context.Response, decision, clock.GetUtcNow());
        if (!decision.Allowed)
        {
            context.RequestServices.GetRequiredService<Telemetry.ApiMetrics>().RateLimitRejected(policy);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = Problems.Create(429, ErrorCodes.RateLimited,
                    $"Too many requests for the '{policy}' limit ({rule.PermitLimit} per {(long)rule.Window.TotalSeconds} s). Retry after the time in Retry-After."),
            });
            return;
        }
        await next(context);
    }

    private static string KeyFor(string policy, HttpContext context, string? tenantId) => policy switch
    {
        RateLimitPolicies.Usage => context.User.CustomerIdOf() is { } customer ? $"{tenantId}/{customer}" : tenantId ?? ClientAddress.Of(context),
        RateLimitPolicies.Webhook => "stripe",
        RateLimitPolicies.Admin => ClientAddress.Of(context),
        _ => tenantId is null ? ClientAddress.Of(context) : $"{tenantId}/{ClientAddress.Of(context)}",
    };
}
