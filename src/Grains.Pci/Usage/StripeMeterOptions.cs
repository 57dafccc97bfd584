namespace Platform.Grains.Pci.Usage;

/// <summary>
/// The PCI side's part of the <c>Usage</c> configuration section (environment <c>Usage__…</c>): which Stripe
/// meter each metric goes to. The same keys as ever; the core side reads the rest of the section.
/// </summary>
public sealed class StripeMeterOptions
{
    public const string SectionName = "Usage";

    /// <summary>
    /// Stripe meter <c>event_name</c> per metric (<c>Usage:MeterEventNames:&lt;metric&gt;</c>); a metric not
    /// listed is sent under its own name, unless <see cref="RequireMeterEventNames"/>.
    /// </summary>
    public Dictionary<string, string> MeterEventNames { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Only metrics listed in <see cref="MeterEventNames"/> go to Stripe; others are dead-lettered
    /// (<c>meter_not_configured</c>) instead of being sent to a meter that may not exist.</summary>
    public bool RequireMeterEventNames { get; set; }

    /// <summary>The Stripe meter event name for a metric, or null when it is not to be sent.</summary>
    public string? MeterEventNameFor(string metric) =>
        MeterEventNames.TryGetValue(metric, out var name) ? name : RequireMeterEventNames ? null : metric;
}
