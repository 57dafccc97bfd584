namespace Platform.Grains.Subscriptions;

/// <summary>A billing period, half-open: from <see cref="Start"/> (included) to <see cref="End"/> (excluded), UTC.</summary>
public sealed record BillingPeriod(DateTimeOffset Start, DateTimeOffset End);
