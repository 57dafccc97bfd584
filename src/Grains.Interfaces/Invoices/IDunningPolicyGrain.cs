namespace Platform.Grains.Interfaces.Invoices;

/// <summary>A tenant's dunning policy, keyed by the tenant id; <see cref="DunningPolicy.Default"/> until set. Changes are audited.</summary>
[Alias("platform.dunning_policy_grain")]
public interface IDunningPolicyGrain : IGrainWithStringKey
{
    [Alias("get")]
    Task<DunningPolicy> GetAsync();

    /// <summary>Refuses an invalid policy (InvalidRequest naming the field); applies to failures from now on.</summary>
    [Alias("set")]
    Task<DunningPolicy> SetAsync(DunningPolicy policy);
}
