namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>
/// The terms of a coupon as an invoice applies them: <see cref="PercentOff"/> (0 &lt; p ≤ 100) or
/// <see cref="AmountOff"/> (minor units of the invoice's currency), over the lines of <see cref="AppliesToPlans"/>
/// (empty: every line with a positive amount).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_discount")]
public sealed record InvoiceDiscount(
    [property: Id(0)] string CouponId,
    [property: Id(1)] decimal? PercentOff,
    [property: Id(2)] long? AmountOff,
    [property: Id(3)] IReadOnlyList<string> AppliesToPlans);
