using System.Text.Json.Nodes;

namespace Platform.StripeFake.Billing;

/// <summary>One event of a meter event stream request, as parsed (identifier and timestamp optional); <see cref="Prefix"/> names it in errors.</summary>
internal sealed record StreamEvent(string EventName, string? Identifier, JsonObject Payload, DateTimeOffset? Timestamp, string Prefix);
