namespace Platform.Grains.Interfaces.Plans;

/// <summary>
/// A usage charge of a plan as Stripe bills it: the metered recurring <see cref="PriceId"/> tied to the Billing Meter
/// <see cref="MeterId"/>, which counts the meter events sent under <see cref="EventName"/> for <see cref="Metric"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_usage_price")]
public sealed record StripeUsagePrice(
    [property: Id(0)] string Metric,
    [property: Id(1)] string PriceId,
    [property: Id(2)] string MeterId,
    [property: Id(3)] string EventName);
