namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// A tenant's dunning policy (Stripe's defaults): after a failed automatic charge the invoice is retried
/// <see cref="RetryDays"/> days after each failure in turn (3, then 5, then 7), and when the last retry fails too
/// the subscription gets <see cref="FinalAction"/> (<see cref="DunningActions"/>). A hard decline
/// (<see cref="DunningPolicyRules.IsHardDecline"/>) is not retried: the final action follows at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.dunning_policy")]
public sealed record DunningPolicy(
    [property: Id(0)] IReadOnlyList<int> RetryDays,
    [property: Id(1)] string FinalAction)
{
    public static DunningPolicy Default { get; } = new([3, 5, 7], DunningActions.Cancel);
}
