namespace Platform.Api.RateLimiting;

public static class RateLimitEndpointExtensions
{
    /// <summary>Limits this route (or group) by the named policy instead of the general one.</summary>
    public static TBuilder RequireRateLimit<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateLimitPolicyMetadata(policy));
}
