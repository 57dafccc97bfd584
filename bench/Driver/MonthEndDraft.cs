namespace Platform.Bench.Driver;

/// <summary>One seeded draft of the month-end benchmark: its invoice and what it belongs to, and the period's usage (api_calls).</summary>
public sealed record MonthEndDraft(string TenantId, string Id, string CustomerId, string SubscriptionId, string PlanId, int Usage);
