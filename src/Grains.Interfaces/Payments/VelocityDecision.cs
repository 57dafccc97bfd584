namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// The answer to a reservation: allowed, or refused because <see cref="ExceededLimit"/> (e.g.
/// <c>hourly_count</c>, <c>daily_amount</c>) would be exceeded; the caller may retry after <see cref="RetryAfter"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.velocity_decision")]
public sealed record VelocityDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] string? ExceededLimit,
    [property: Id(2)] TimeSpan RetryAfter)
{
    public static VelocityDecision Allow { get; } = new(true, null, TimeSpan.Zero);
}
