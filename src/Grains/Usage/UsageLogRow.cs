using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>One row for the usage log, as a meter hands it to the writer.</summary>
public sealed record UsageLogRow(string TenantId, string CustomerId, UsageEvent Event, DateTimeOffset Timestamp);
