using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>A usage event that forwarding to Stripe gave up on, and why (it stays in the usage log and its aggregates).</summary>
public sealed record UsageDeadLetterResource(
    string EventId, string Identifier, string Customer, string Metric, decimal Quantity, long Timestamp, string Reason, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "usage_dead_letter";

    public static UsageDeadLetterResource From(DeadLetteredMeterEvent letter) =>
        new(letter.EventId, letter.Identifier, letter.CustomerId, letter.Metric, letter.Quantity,
            UnixTime.Seconds(letter.Timestamp), letter.Reason, UnixTime.Seconds(letter.DeadLetteredAt));
}
