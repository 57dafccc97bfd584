namespace Platform.StripeFake.Billing;

/// <summary>One event of a meter event stream request, as parsed (identifier and timestamp optional).</summary>
internal sealed record StreamEvent(string EventName, string? Identifier, string CustomerId, decimal Value, DateTimeOffset? Timestamp);
