namespace Platform.Api.RateLimiting;

/// <summary>Endpoint metadata naming the rate-limit policy of a route (the last one added wins).</summary>
public sealed record RateLimitPolicyMetadata(string Policy);
