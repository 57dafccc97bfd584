namespace Platform.Api.Invoices;

/// <summary>The body of POST /v1/tenants/{id}/dunning; an absent field keeps its current value.</summary>
public sealed record SetDunningPolicyRequest(int[]? RetryDays, string? FinalAction);
