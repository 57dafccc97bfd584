namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// At most <see cref="MaxPayments"/> payments, and at most <see cref="MaxAmount"/> (per currency, minor
/// units) in total, per customer over the sliding <see cref="Window"/>. <see cref="Name"/> (<c>hourly</c>,
/// <c>daily</c>) names the limit in refusals, metrics and audit entries.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.velocity_limit")]
public sealed record VelocityLimit(
    [property: Id(0)] string Name,
    [property: Id(1)] TimeSpan Window,
    [property: Id(2)] int? MaxPayments,
    [property: Id(3)] IReadOnlyDictionary<string, long> MaxAmount)
{
    public const string HourlyName = "hourly";
    public const string DailyName = "daily";

    public static VelocityLimit HourlyOf(int? maxPayments, IReadOnlyDictionary<string, long> maxAmount) =>
        new(HourlyName, TimeSpan.FromHours(1), maxPayments, maxAmount);

    public static VelocityLimit DailyOf(int? maxPayments, IReadOnlyDictionary<string, long> maxAmount) =>
        new(DailyName, TimeSpan.FromDays(1), maxPayments, maxAmount);
}
