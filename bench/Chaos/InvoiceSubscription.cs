namespace Platform.Bench.Chaos;

/// <summary>A customer on a test clock subscribed to the daily plan: its first period starts at <see cref="Start"/> (the clock's time then).</summary>
public sealed record InvoiceSubscription(string CustomerId, string SubscriptionId, DateTimeOffset Start);
