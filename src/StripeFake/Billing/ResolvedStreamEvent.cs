using System.Text.Json.Nodes;

namespace Platform.StripeFake.Billing;

/// <summary>A stream event with its customer and value read under its meter's payload keys.</summary>
internal sealed record ResolvedStreamEvent(string EventName, string? Identifier, string CustomerId, decimal Value, DateTimeOffset? Timestamp, JsonObject Payload);
