namespace Platform.Grains.Interfaces.RateLimiting;

/// <summary>
/// A permit to take from the limiter grain <see cref="LimiterKey"/> (<c>policy/key</c>) under
/// <see cref="Rule"/>, handed to a credential's grain so verifying the credential and taking the permit
/// cost the API one call to the cluster instead of two.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.rate_limit_request")]
public sealed record RateLimitRequest([property: Id(0)] string LimiterKey, [property: Id(1)] RateLimitRule Rule)
{
    /// <summary>Takes the permit, or answers null when there is nothing to take.</summary>
    public static async Task<RateLimitDecision?> AcquireAsync(IGrainFactory grains, RateLimitRequest? request) =>
        request is null ? null : await grains.GetGrain<IRateLimiterGrain>(request.LimiterKey).AcquireAsync(request.Rule);
}
