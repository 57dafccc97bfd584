namespace Platform.Grains.TestClocks;

[GenerateSerializer, Alias("platform.test_clock_state")]
public sealed class TestClockState
{
    [Id(0)] public string? Id { get; set; }

    [Id(1)] public string? Name { get; set; }

    [Id(2)] public DateTimeOffset FrozenTime { get; set; }

    [Id(3)] public DateTimeOffset Created { get; set; }

    /// <summary>The customers created on this clock (ids), in order.</summary>
    [Id(4)] public List<string> Customers { get; set; } = [];
}
