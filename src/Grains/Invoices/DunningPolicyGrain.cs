using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>A tenant's dunning policy (docs/INVOICES.md, dunning); Stripe's defaults until the tenant sets one.</summary>
public sealed class DunningPolicyGrain(
    [PersistentState(DunningPolicyGrain.StateName, PlatformStorage.Name)] IPersistentState<DunningPolicyState> dunning) : Grain, IDunningPolicyGrain
{
    public const string StateName = "dunning_policy";

    public Task<DunningPolicy> GetAsync() => Task.FromResult(dunning.State.Policy ?? DunningPolicy.Default);

    public async Task<DunningPolicy> SetAsync(DunningPolicy policy)
    {
        if (DunningPolicyRules.Problem(policy) is { } problem)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid", problem.Message, problem.Param);
        }
        var before = await GetAsync();
        dunning.State.Policy = policy with { RetryDays = policy.RetryDays.ToArray() };
        await dunning.WriteStateAsync();
        var tenantId = this.GetPrimaryKeyString();
        await GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(AuditActions.TenantDunningPolicyChanged, tenantId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["retry_days"] = string.Join(',', policy.RetryDays),
                ["final_action"] = policy.FinalAction,
                ["previous_retry_days"] = string.Join(',', before.RetryDays),
                ["previous_final_action"] = before.FinalAction,
            }));
        return dunning.State.Policy;
    }
}
