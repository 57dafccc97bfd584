namespace Platform.Api.Usage;

/// <summary>The error of a refused event, in the fields of our problem details.</summary>
public sealed record UsageEventErrorResource(string Code, string? Param, string Message);
