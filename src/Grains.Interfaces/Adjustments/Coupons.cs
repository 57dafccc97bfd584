namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>How long a coupon discounts a subscription (Stripe's <c>duration</c>).</summary>
public static class CouponDurations
{
    public const string Once = "once";
    public const string Repeating = "repeating";
    public const string Forever = "forever";

    public static bool IsKnown(string? value) => value is Once or Repeating or Forever;
}

/// <summary>A validated coupon to create: <see cref="PercentOff"/> or <see cref="AmountOff"/> with <see cref="Currency"/>.</summary>
[GenerateSerializer, Immutable, Alias("platform.coupon_draft")]
public sealed record CouponDraft(
    [property: Id(0)] string? Name,
    [property: Id(1)] decimal? PercentOff,
    [property: Id(2)] long? AmountOff,
    [property: Id(3)] string? Currency,
    [property: Id(4)] string Duration,
    [property: Id(5)] int? DurationInMonths,
    [property: Id(6)] int? MaxRedemptions,
    [property: Id(7)] DateTimeOffset? RedeemBy,
    [property: Id(8)] IReadOnlyList<string> AppliesToPlans,
    [property: Id(9)] IReadOnlyDictionary<string, string> Metadata);

/// <summary>A coupon (<c>co_…</c>) in Stripe's shape; <see cref="Valid"/> is false once deleted, past redeem_by or fully redeemed.</summary>
[GenerateSerializer, Immutable, Alias("platform.coupon")]
public sealed record CouponSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] CouponDraft Terms,
    [property: Id(2)] int TimesRedeemed,
    [property: Id(3)] bool Valid,
    [property: Id(4)] DateTimeOffset Created)
{
    public InvoiceDiscount Discount => new(Id, Terms.PercentOff, Terms.AmountOff, Terms.AppliesToPlans);
}

/// <summary>
/// A coupon redeemed on a subscription (Stripe's <c>discount</c>): its terms as redeemed, from <see cref="Start"/>;
/// <see cref="End"/> is when a repeating coupon stops (null: forever or once). A <c>once</c> coupon discounts the first
/// invoice whose period starts at or after <see cref="Start"/>, then is spent.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.subscription_discount")]
public sealed record SubscriptionDiscount(
    [property: Id(0)] InvoiceDiscount Terms,
    [property: Id(1)] string Duration,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset? End);
