namespace Platform.Grains.Interfaces.Plans;

/// <summary>The stable <c>code</c> values of plan refusals (PlatformException.Code); never renamed.</summary>
public static class PlanErrorCodes
{
    /// <summary>
    /// The plan cannot be sold through Checkout: one of its usage charges has no exact Stripe price (docs/PLANS.md,
    /// "Usage charges at Stripe"), so Stripe would bill something else than our own invoice would (400, param names the charge).
    /// </summary>
    public const string PlanNotExpressibleAtStripe = "plan_not_expressible_at_stripe";
}
