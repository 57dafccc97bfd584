namespace Platform.Grains.Interfaces.Usage;

/// <summary>Limits of the usage contract, shared by the API (shape checks) and the meter (time checks).</summary>
public static class UsageRules
{
    /// <summary>How far back an event may be dated; the usage log keeps every row at least this long, so
    /// deduplication holds for the whole window (Stripe's meter events accept the same 35 days).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(35);

    /// <summary>How far ahead of the meter's clock an event may be dated (client clocks drift).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public const int MaxEventsPerRequest = 1000;
    public const int MaxEventIdLength = 100;
    public const int MaxMetricLength = 100;
    public const int MaxProperties = 20;
    public const int MaxPropertyKeyLength = 40;
    public const int MaxPropertyValueLength = 200;

    /// <summary>Quantities carry at most this many fractional digits (the log column is numeric(38,9)).</summary>
    public const int MaxQuantityScale = 9;

    public static readonly decimal MaxQuantity = 1_000_000_000_000_000m;
}
