namespace Platform.StripeFake.Subscriptions;

/// <summary>A requested subscription item: a price id (any string is accepted) and a quantity (none for a metered price; 1 by default otherwise).</summary>
internal sealed record SubscriptionItemSpec(string Price, long? Quantity);
