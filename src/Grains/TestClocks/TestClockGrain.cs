using Microsoft.Extensions.Logging;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.TestClocks;
using Platform.Grains.Invoices;

namespace Platform.Grains.TestClocks;

/// <summary>
/// A test clock (docs/INVOICES.md, test clocks). Advancing stores the new time first, then runs for each of its
/// customers what came due by it, in the order billing would: the subscription's cycle (roll-overs make the
/// period drafts), then each unsettled invoice's work (finalization after grace, collection, dunning retries),
/// repeated while something still moves (a retry due inside the same advance). Reads of the time interleave
/// with an advance, so the grains it drives see the new time while it waits on them.
/// </summary>
public sealed class TestClockGrain(
    [PersistentState(TestClockGrain.StateName, PlatformStorage.Name)] IPersistentState<TestClockState> testClock,
    InvoiceReader invoices,
    TimeProvider clock,
    ILogger<TestClockGrain> logger) : Grain, ITestClockGrain
{
    public const string StateName = "test_clock";

    /// <summary>How many rounds of invoice work one advance runs at most (each round can make a retry due).</summary>
    private const int MaxRounds = 12;

    private bool _advancing;

    private (string TenantId, string ClockId) Ids => PlatformIds.ParseTestClockKey(this.GetPrimaryKeyString());

    public async Task<TestClockSnapshot> CreateAsync(DateTimeOffset frozenTime, string? name)
    {
        var state = testClock.State;
        if (state.Id is null)
        {
            state.Id = Ids.ClockId;
            state.Name = name;
            state.FrozenTime = frozenTime;
            state.Created = clock.GetUtcNow();
            await testClock.WriteStateAsync();
            await AuditAsync(AuditActions.TestClockCreated, frozenTime);
        }
        return Snapshot();
    }

    public Task<TestClockSnapshot?> GetAsync() => Task.FromResult(testClock.State.Id is null ? null : Snapshot());

    public Task<DateTimeOffset> NowAsync() => Task.FromResult(Require().FrozenTime);

    public async Task AttachCustomerAsync(string customerId)
    {
        var state = Require();
        if (!state.Customers.Contains(customerId))
        {
            state.Customers.Add(customerId);
            await testClock.WriteStateAsync();
        }
    }

    public async Task<TestClockSnapshot> AdvanceAsync(DateTimeOffset frozenTime)
    {
        var state = Require();
        if (frozenTime <= state.FrozenTime)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                "frozen_time must be later than the clock's current frozen_time: a test clock only moves forward.", "frozen_time");
        }
        state.FrozenTime = frozenTime;
        await testClock.WriteStateAsync();
        await AuditAsync(AuditActions.TestClockAdvanced, frozenTime);
        _advancing = true;
        try
        {
            foreach (var customerId in state.Customers)
            {
                await RunDueWorkAsync(customerId);
            }
        }
        finally
        {
            _advancing = false;
        }
        return Snapshot();
    }

    private async Task RunDueWorkAsync(string customerId)
    {
        var tenantId = Ids.TenantId;
        var customerKey = PlatformIds.CustomerKey(tenantId, customerId);
        await GrainFactory.GetGrain<ISubscriptionGrain>(customerKey).TickAsync();
        for (var round = 0; round < MaxRounds; round++)
        {
            var moved = false;
            foreach (var invoiceId in await invoices.UnsettledAsync(tenantId, customerId))
            {
                moved |= await GrainFactory.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId)).TickAsync();
            }
            if (!moved)
            {
                return;
            }
            // A dunning step can end the subscription: its grain acts on that before the next round.
            await GrainFactory.GetGrain<ISubscriptionGrain>(customerKey).TickAsync();
        }
        logger.LogWarning("Test clock {Clock}: invoices of {Customer} still moving after {Rounds} rounds", this.GetPrimaryKeyString(), customerId, MaxRounds);
    }

    private Task AuditAsync(string action, DateTimeOffset frozenTime) =>
        GrainFactory.GetGrain<IAuditLogGrain>(Ids.TenantId).AppendAsync(new AuditDraft(action, Ids.ClockId,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["frozen_time"] = frozenTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) }));

    private TestClockState Require() => testClock.State.Id is null
        ? throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such test clock.", "test_clock")
        : testClock.State;

    private TestClockSnapshot Snapshot()
    {
        var state = testClock.State;
        return new TestClockSnapshot(state.Id!, Ids.TenantId, state.Name, state.FrozenTime,
            _advancing ? TestClockStatuses.Advancing : TestClockStatuses.Ready, state.Created, state.Customers.Count);
    }
}
