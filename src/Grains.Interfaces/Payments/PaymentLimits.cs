namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// A tenant's fraud limits on payments, checked before Stripe is asked. <see cref="MaxAmountPerPayment"/>
/// is per currency (lowercase ISO → minor units); a currency not listed has no per-payment cap.
/// <see cref="Hourly"/> and <see cref="Daily"/> cap each customer's payments over the last hour and day.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.payment_limits")]
public sealed record PaymentLimits(
    [property: Id(0)] IReadOnlyDictionary<string, long> MaxAmountPerPayment,
    [property: Id(1)] VelocityLimit? Hourly,
    [property: Id(2)] VelocityLimit? Daily)
{
    public static PaymentLimits None { get; } = new(new Dictionary<string, long>(), null, null);

    /// <summary>The velocity limits that are set, shortest window first.</summary>
    public IReadOnlyList<VelocityLimit> VelocityLimits() => new[] { Hourly, Daily }.OfType<VelocityLimit>().ToArray();
}
