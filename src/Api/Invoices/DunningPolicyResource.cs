using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>A tenant's dunning policy: retries <c>retry_days</c> after each failure in turn, then <c>final_action</c>.</summary>
public sealed record DunningPolicyResource(string Tenant, IReadOnlyList<int> RetryDays, string FinalAction)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "dunning_policy";

    public static DunningPolicyResource From(string tenantId, DunningPolicy policy) => new(tenantId, policy.RetryDays, policy.FinalAction);
}
