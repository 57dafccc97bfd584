namespace Platform.Grains.Invoices;

[GenerateSerializer, Alias("platform.dunning_policy_state")]
public sealed class DunningPolicyState
{
    /// <summary>Null until the tenant sets one: <see cref="Interfaces.Invoices.DunningPolicy.Default"/> applies.</summary>
    [Id(0)] public Interfaces.Invoices.DunningPolicy? Policy { get; set; }
}
