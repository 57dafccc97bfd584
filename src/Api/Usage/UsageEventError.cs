namespace Platform.Api.Usage;

/// <summary>Why one event of a report was refused: a stable <c>code</c>, the offending field, a message.</summary>
public sealed record UsageEventError(string Code, string? Param, string Message);
