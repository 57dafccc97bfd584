namespace Platform.Grains.Entitlements;

/// <summary>The <c>Entitlements</c> configuration section, read by every silo.</summary>
public sealed class EntitlementOptions
{
    public const string SectionName = "Entitlements";

    /// <summary>The share of a numeric limit whose crossing publishes <c>usage.threshold_reached</c> (once per feature and period).</summary>
    public double ThresholdShare { get; set; } = 0.8;
}
