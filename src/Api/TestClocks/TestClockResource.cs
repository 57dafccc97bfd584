using Platform.Api.Common;
using Platform.Grains.Interfaces.TestClocks;

namespace Platform.Api.TestClocks;

/// <summary>Stripe's <c>test_helpers.test_clock</c>: <c>frozen_time</c> in Unix seconds, <c>status</c> ready or advancing.</summary>
public sealed record TestClockResource(string Id, string? Name, long FrozenTime, string Status, long Created, int CustomerCount)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "test_helpers.test_clock";

    public static TestClockResource From(TestClockSnapshot clock) =>
        new(clock.Id, clock.Name, clock.FrozenTime.ToUnixTimeSeconds(), clock.Status, UnixTime.Seconds(clock.Created), clock.CustomerCount);
}
