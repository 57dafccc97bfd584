using Orleans.Concurrency;

namespace Platform.Grains.Interfaces.TestClocks;

/// <summary>
/// A test clock, keyed <c>ten_…/clock_…</c> (PlatformIds.TestClockKey). A customer created with it reads billing
/// time from it: its subscription's periods, its invoices' grace and finalization, dunning retries. Advancing
/// it moves that time forward and runs, in order, everything that came due for its customers, so a whole billing
/// cycle plays out in a test within seconds. Time never goes back.
/// </summary>
[Alias("platform.test_clock")]
public interface ITestClockGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<TestClockSnapshot> CreateAsync(DateTimeOffset frozenTime, string? name);

    /// <summary>Null when there is no such clock.</summary>
    [Alias("get")]
    Task<TestClockSnapshot?> GetAsync();

    /// <summary>The clock's time; NotFound when the clock does not exist.</summary>
    [Alias("now"), AlwaysInterleave]
    Task<DateTimeOffset> NowAsync();

    /// <summary>Binds a new customer to this clock (at customer creation). NotFound for an unknown clock.</summary>
    [Alias("attach_customer")]
    Task AttachCustomerAsync(string customerId);

    /// <summary>Moves to <paramref name="frozenTime"/> (later than now; InvalidRequest otherwise) and runs what came due.</summary>
    [Alias("advance")]
    Task<TestClockSnapshot> AdvanceAsync(DateTimeOffset frozenTime);
}
