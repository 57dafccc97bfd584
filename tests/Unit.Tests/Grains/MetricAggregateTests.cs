using Platform.Grains.Usage;

namespace Platform.Unit.Tests.Grains;

public sealed class MetricAggregateTests
{
    private static readonly DateTimeOffset T = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_WorkedExample_GivesSumCountMaxLatestAndUniqueCounts()
    {
        var aggregate = new MetricAggregate(maxDistinctValues: 10);

        aggregate.Add(3, T, 1, Props(("region", "eu"), ("user", "ann")));
        aggregate.Add(4, T.AddMinutes(5), 2, Props(("region", "us")));
        aggregate.Add(7.25m, T.AddMinutes(1), 3, Props(("region", "eu"), ("user", "bob")));
        aggregate.Add(1, T.AddMinutes(5), 4, Props());

        var usage = aggregate.ToUsage("api_calls", new Dictionary<string, long>());
        Assert.Equal(15.25m, usage.Sum);
        Assert.Equal(4, usage.Count);
        Assert.Equal(7.25m, usage.Max);
        // Two events share the latest timestamp: the one logged later (sequence 4) is latest.
        Assert.Equal(1m, usage.Latest);
        Assert.Equal(2, usage.UniqueCounts["region"]);
        Assert.Equal(2, usage.UniqueCounts["user"]);
    }

    [Fact]
    public void Add_MoreDistinctValuesThanKept_AsksForTheCountFromTheLog()
    {
        var aggregate = new MetricAggregate(maxDistinctValues: 2);
        foreach (var (value, i) in new[] { "a", "b", "c" }.Select((v, i) => (v, i)))
        {
            aggregate.Add(1, T, i, Props(("request", value), ("region", "eu")));
        }

        Assert.Equal(["request"], aggregate.OverflowedKeys);
        var usage = aggregate.ToUsage("m", new Dictionary<string, long> { ["request"] = 3 });
        Assert.Equal(3, usage.UniqueCounts["request"]);
        Assert.Equal(1, usage.UniqueCounts["region"]);
    }

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);
}
