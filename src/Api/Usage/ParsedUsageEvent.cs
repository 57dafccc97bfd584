using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>One event that passed the shape checks, with the customer it is for.</summary>
public sealed record ParsedUsageEvent(string CustomerId, UsageEvent Event);
