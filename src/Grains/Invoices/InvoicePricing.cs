using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Invoices;

/// <summary>The plan's prices as the period closed, kept on the invoice (column <c>pricing</c>) so its lines are repriced from it alone.</summary>
public sealed record InvoicePricing(string Name, string Currency, long FlatAmount, IReadOnlyList<UsageCharge> Charges)
{
    public static InvoicePricing Of(PlanDraft plan) => new(plan.Name ?? plan.Code, plan.Currency, plan.Amount, plan.UsageCharges);
}
