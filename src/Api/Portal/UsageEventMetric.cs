namespace Platform.Api.Portal;

public sealed record UsageEventMetric(string Metric, decimal Used);
