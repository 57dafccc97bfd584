namespace Platform.StripeFake.Billing;

/// <summary>A counted meter event: whose (by the meter's customer mapping), how much, and when (Unix seconds).</summary>
internal sealed record MeterEventRecord(string Identifier, string EventName, string CustomerId, decimal Value, long Timestamp);
