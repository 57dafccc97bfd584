namespace Platform.Grains.Interfaces.Usage;

/// <summary>What became of one reported event. Values are on the wire between silos; never reuse one.</summary>
[GenerateSerializer, Alias("platform.usage_event_status")]
public enum UsageEventStatus
{
    /// <summary>New: committed to the usage log and counted.</summary>
    Accepted = 1,

    /// <summary>The tenant already reported this event id; the first write stands, this one changed nothing.</summary>
    Duplicate = 2,

    /// <summary>Older than <see cref="UsageRules.MaxAge"/>: outside the deduplication window.</summary>
    TimestampTooFarInPast = 3,

    /// <summary>More than <see cref="UsageRules.MaxClockSkew"/> ahead of the meter's clock.</summary>
    TimestampInFuture = 4,

    /// <summary>Dated in a period whose invoice is already finalized: refused, so no usage is accepted and left unbilled.</summary>
    PeriodClosed = 5,
}
