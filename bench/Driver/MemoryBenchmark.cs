using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Health;
using Platform.Grains.Interfaces.RateLimiting;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Bench.Driver;

/// <summary>
/// Benchmark 4: memory per active customer. Measures the silo after a full compacting GC three times:
/// idle; after N bare probe activations (Orleans' own per-activation cost); after N customers with their
/// per-customer grains: profile, usage-reporting rate-limit counter, and usage meter (one event reported, so
/// the meter holds a real aggregate).
/// </summary>
public sealed class MemoryBenchmark(IGrainFactory grains, HttpClient silo, int customers, int tenants, int parallelism, TimeSpan idleWait)
{
    public async Task<MemoryReport> RunAsync()
    {
        var idle = await MeasureAsync();
        var clock = Stopwatch.StartNew();
        await ForEachAsync(customers, i => grains.GetGrain<IActivationProbeGrain>("probe-" + i).TouchAsync());
        var probes = await MeasureAsync();
        var probeSeconds = clock.Elapsed.TotalSeconds;

        var tenantIds = Enumerable.Range(0, tenants).Select(_ => PlatformIds.NewTenantId()).ToArray();
        var rule = new RateLimitRule(60, TimeSpan.FromHours(1));
        var metadata = new Dictionary<string, string> { ["crm_id"] = "42", ["plan"] = "pro" };
        clock.Restart();
        var activationsPerCustomer = 3;
        var noProperties = new Dictionary<string, string>();
        await ForEachAsync(customers, async i =>
        {
            var tenantId = tenantIds[i % tenants];
            var customerId = PlatformIds.NewCustomerId();
            await grains.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, customerId)).CreateAsync(
                new CustomerDraft($"customer{i}@example.com", $"Customer {i}", null, metadata, null));
            await grains.GetGrain<IRateLimiterGrain>($"usage/{tenantId}/{customerId}").AcquireAsync(rule);
            await grains.GetGrain<IUsageMeterGrain>(PlatformIds.CustomerKey(tenantId, customerId)).ReportUsageAsync(
                [new UsageEvent($"mem-{i}", "api_calls", 1, null, noProperties)]);
        });
        var customersSeconds = clock.Elapsed.TotalSeconds;
        var loaded = await MeasureAsync();

        // Idle collection: with nothing calling them, the profiles and meters (and the probes) are deactivated once
        // they have been idle for the silo's collection age; the rate-limit counters live until their window ends.
        MemorySample? collected = null;
        long? activationsBefore = null, activationsAfter = null;
        if (idleWait > TimeSpan.Zero)
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            activationsBefore = await management.GetTotalActivationCount();
            await Task.Delay(idleWait);
            activationsAfter = await management.GetTotalActivationCount();
            collected = await MeasureAsync();
        }

        var perProbe = (double)(probes.ManagedHeapBytes - idle.ManagedHeapBytes) / customers;
        var perCustomer = (double)(loaded.ManagedHeapBytes - probes.ManagedHeapBytes) / customers;
        return new MemoryReport(customers, activationsPerCustomer, idle, probes, loaded, perProbe, perCustomer,
            perCustomer - activationsPerCustomer * perProbe, probeSeconds, customersSeconds, activationsBefore, activationsAfter, collected);
    }

    private async Task<MemorySample> MeasureAsync()
    {
        var json = await silo.GetFromJsonAsync<JsonElement>("/diagnostics/memory");
        return new MemorySample(json.GetProperty("managed_heap_bytes").GetInt64(), json.GetProperty("working_set_bytes").GetInt64());
    }

    private async Task ForEachAsync(int count, Func<int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }
}

public sealed record MemorySample(long ManagedHeapBytes, long WorkingSetBytes);

public sealed record MemoryReport(
    int Customers, int ActivationsPerCustomer, MemorySample Idle, MemorySample AfterProbes, MemorySample AfterCustomers,
    double BytesPerProbeActivation, double BytesPerCustomer, double OwnStateBytesPerCustomer, double ProbeSeconds, double CustomerSeconds,
    long? ActivationsBeforeIdle, long? ActivationsAfterIdle, MemorySample? AfterIdle);
