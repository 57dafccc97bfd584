namespace Platform.Grains.DataProtection;

/// <summary>The <c>DataProtection</c> section.</summary>
public sealed class DataProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>How often an unfinished erasure is resumed (a reminder: survives restarts). Orleans' minimum reminder period applies.</summary>
    public TimeSpan ErasureRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many events and audit entries of each kind go into an export.</summary>
    public int ExportLimit { get; set; } = 1000;
}
