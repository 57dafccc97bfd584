namespace Platform.Api.Portal;

/// <summary>The data of one <c>usage</c> server-sent event: each metric's sum over the current period.</summary>
public sealed record UsageEventPayload(IReadOnlyList<UsageEventMetric> Metrics);
