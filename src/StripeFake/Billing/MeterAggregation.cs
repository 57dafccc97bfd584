using System.Text.Json.Nodes;

namespace Platform.StripeFake.Billing;

/// <summary>
/// A meter's value for one customer over <c>[start, end)</c> (Unix seconds, by event timestamp), by its
/// <c>default_aggregation.formula</c>: <c>sum</c> of values, <c>count</c> of events, or <c>last</c>: the value of
/// the latest event (0 without events).
/// </summary>
internal static class MeterAggregation
{
    public static decimal Aggregate(StripeFakeState state, JsonObject meter, string customerId, long start, long end)
    {
        var events = state.MeterEvents((string)meter["event_name"]!)
            .Where(e => e.CustomerId == customerId && e.Timestamp >= start && e.Timestamp < end);
        return (string?)meter["default_aggregation"]?["formula"] switch
        {
            "count" => events.Count(),
            "last" => events.OrderBy(e => e.Timestamp).LastOrDefault()?.Value ?? 0m,
            _ => events.Sum(e => e.Value),
        };
    }
}
