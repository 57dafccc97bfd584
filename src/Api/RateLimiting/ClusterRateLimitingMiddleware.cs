using Platform.Api.Auth;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Rate limits held in grains: one limiter grain per policy and key, so the count is exact across any
/// number of API replicas. ASP.NET Core's own RateLimiter middleware partitions in process memory and
/// offers no hook to put RateLimit-* headers on allowed responses; a cluster-wide limit needs a grain
/// call either way, and <see cref="ClusterRateLimiter"/> folds that call into the credential check.
/// </summary>
public sealed class ClusterRateLimitingMiddleware(RequestDelegate next, ClusterRateLimiter limiter, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (await limiter.DecideAsync(context) is not var (policy, request, decision))
        {
            await next(context);
            return;
        }
        RateLimitHeaders.Write(context.Response, decision, clock.GetUtcNow());
        if (!decision.Allowed)
        {
            context.RequestServices.GetRequiredService<Telemetry.ApiMetrics>().RateLimitRejected(policy);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = RateLimitProblem.Create(policy, request.Rule, context.User.TenantIdOf(), context.User.CustomerIdOf()),
            });
            return;
        }
        await next(context);
    }
}
