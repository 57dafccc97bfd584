using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.TestClocks;

namespace Platform.Grains.TestClocks;

/// <summary>
/// Billing time as one customer sees it: its test clock's frozen time when it was created with one, else the
/// billing clock (the silo's, unless a test replaced it). A grain that bills a customer keeps one of these per
/// activation; the customer's clock is fixed at creation, so it is looked up once.
/// </summary>
public sealed class CustomerClock(IGrainFactory grains, TimeProvider billingClock, string tenantId, string customerId)
{
    private ITestClockGrain? _testClock;
    private bool _resolved;

    public async Task<DateTimeOffset> NowAsync()
    {
        if (!_resolved)
        {
            var customer = await grains.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, customerId)).GetAsync();
            _testClock = customer?.TestClockId is { } clockId ? grains.GetGrain<ITestClockGrain>(PlatformIds.TestClockKey(tenantId, clockId)) : null;
            _resolved = true;
        }
        return _testClock is null ? billingClock.GetUtcNow() : await _testClock.NowAsync();
    }

    /// <summary>True when this customer's time is a test clock's (resolved by <see cref="NowAsync"/>).</summary>
    public bool IsTestClock => _testClock is not null;
}
