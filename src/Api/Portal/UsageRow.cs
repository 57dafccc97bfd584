namespace Platform.Api.Portal;

/// <summary>One metric on the usage page: what the period used, and the plan's limit when it has one.</summary>
public sealed record UsageRow(string Metric, decimal Used, long? Limit);
