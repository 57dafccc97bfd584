using Platform.Grains.Interfaces.Plans;

namespace Platform.Api.Portal;

/// <summary>A plan as the portal shows it: its name, price and interval in words.</summary>
public sealed record PlanDefinitionView(string Id, string Name, long Amount, string Currency, string Interval, int TrialDays, IReadOnlyList<PlanEntitlement> Entitlements)
{
    public static PlanDefinitionView Of(PlanSnapshot plan) => new(plan.Id, plan.Definition.Name ?? plan.Definition.Code, plan.Definition.Amount,
        plan.Definition.Currency, plan.Definition.Interval switch
        {
            PlanInterval.Day => "day",
            PlanInterval.Year => "year",
            _ => "month",
        }, plan.Definition.TrialDays, plan.Definition.Entitlements);
}
