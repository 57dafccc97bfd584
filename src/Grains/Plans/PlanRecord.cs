using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Plans;

[GenerateSerializer, Alias("platform.plan_record")]
public sealed class PlanRecord
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public PlanDraft Definition { get; set; } = null!;

    [Id(2)] public bool Archived { get; set; }

    [Id(3)] public DateTimeOffset Created { get; set; }

    /// <summary>Customers whose subscription is on this plan.</summary>
    [Id(4)] public HashSet<string> Subscribers { get; set; } = [];

    /// <summary>The plan's price at Stripe (<c>price_…</c>), created on first sale through Checkout.</summary>
    [Id(5)] public string? StripePriceId { get; set; }

    /// <summary>The metered prices of its usage charges at Stripe, recorded with <see cref="StripePriceId"/>.</summary>
    [Id(6)] public List<StripeUsagePrice> StripeUsagePrices { get; set; } = [];

    public PlanSnapshot Snapshot() => new(Id, Definition, Archived, Created, Subscribers.Count, StripePriceId, StripeUsagePrices);
}
