using System.Collections.Concurrent;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Usage;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// The test double of the PCI side: records what would be sent to Stripe, deduplicating by identifier as
/// Stripe does, and can refuse the next calls of a tenant to show that forwarding retries.
/// </summary>
public sealed class RecordingUsageForwarder : IUsageForwarder
{
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();

    public ConcurrentDictionary<string, StripeMeterEvent> Received { get; } = new();

    public ConcurrentQueue<(string TenantId, int Size)> Calls { get; } = new();

    public void FailNext(string tenantId, int calls) => _failuresLeft[tenantId] = calls;

    public Task ForwardAsync(string tenantId, IReadOnlyList<StripeMeterEvent> events, CancellationToken cancellationToken)
    {
        Calls.Enqueue((tenantId, events.Count));
        if (_failuresLeft.TryGetValue(tenantId, out var left) && left > 0)
        {
            _failuresLeft[tenantId] = left - 1;
            throw new HttpRequestException("Stripe is unreachable (test double).");
        }
        foreach (var meterEvent in events)
        {
            Received.TryAdd(tenantId + "|" + meterEvent.Identifier, meterEvent);
        }
        return Task.CompletedTask;
    }

    public IReadOnlyList<StripeMeterEvent> ReceivedFor(string tenantId) =>
        Received.Where(p => p.Key.StartsWith(tenantId + "|", StringComparison.Ordinal)).Select(p => p.Value).ToArray();
}
