using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>
/// One metric's running aggregates over one period, in a meter's memory. Fed only by rows the database
/// reported as new, so it always equals the same aggregate computed over the log.
/// </summary>
public sealed class MetricAggregate(int maxDistinctValues)
{
    // Per property key: its distinct values, or null once there were too many to keep (then the
    // unique count is asked of the log).
    // Created on the first property: most metrics have none, and a million meters each holding an empty
    // dictionary is memory for nothing.
    private Dictionary<string, HashSet<string>?>? _distinct;

    public decimal Sum { get; private set; }

    public long Count { get; private set; }

    public decimal Max { get; private set; }

    public decimal Latest { get; private set; }

    public DateTimeOffset LatestTimestamp { get; private set; } = DateTimeOffset.MinValue;

    public long LatestSequence { get; private set; } = long.MinValue;

    /// <summary>Adds one new event; <paramref name="sequence"/> is its log sequence (the tie-break of latest).</summary>
    public void Add(decimal quantity, DateTimeOffset timestamp, long sequence, IReadOnlyDictionary<string, string> properties)
    {
        Max = Count == 0 ? quantity : Math.Max(Max, quantity);
        Sum += quantity;
        Count++;
        if (timestamp > LatestTimestamp || (timestamp == LatestTimestamp && sequence > LatestSequence))
        {
            Latest = quantity;
            LatestTimestamp = timestamp;
            LatestSequence = sequence;
        }
        foreach (var (key, value) in properties)
        {
            _distinct ??= new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
            if (!_distinct.TryGetValue(key, out var values))
            {
                values = new HashSet<string>(StringComparer.Ordinal);
                _distinct[key] = values;
            }
            if (values is not null && values.Add(value) && values.Count > maxDistinctValues)
            {
                _distinct[key] = null;
            }
        }
    }

    /// <summary>Sets the totals read from the log when a meter activates.</summary>
    public void Load(decimal sum, long count, decimal max, decimal latest, DateTimeOffset latestTimestamp, long latestSequence)
    {
        (Sum, Count, Max, Latest, LatestTimestamp, LatestSequence) = (sum, count, max, latest, latestTimestamp, latestSequence);
    }

    /// <summary>Sets one property's distinct values read from the log; null when there were too many.</summary>
    public void LoadDistinct(string key, IEnumerable<string>? values) =>
        (_distinct ??= new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal))[key] =
            values is null ? null : new HashSet<string>(values, StringComparer.Ordinal);

    /// <summary>Property keys whose distinct values were too many to keep.</summary>
    public IEnumerable<string> OverflowedKeys => _distinct?.Where(p => p.Value is null).Select(p => p.Key) ?? [];

    public MetricUsage ToUsage(string metric, IReadOnlyDictionary<string, long> overflowedCounts)
    {
        var unique = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, values) in _distinct ?? [])
        {
            unique[key] = values?.Count ?? overflowedCounts.GetValueOrDefault(key);
        }
        return new MetricUsage(metric, Sum, Count, Max, Latest, unique);
    }
}
