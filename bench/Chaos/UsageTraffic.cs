using System.Collections.Concurrent;

namespace Platform.Bench.Chaos;

/// <summary>
/// Usage events in batches at a steady rate from one API host. About one batch in five also repeats events
/// acknowledged earlier (a client re-sending): those must come back <c>duplicate</c>, never <c>accepted</c>.
/// </summary>
public sealed class UsageTraffic(ApiCaller api, IReadOnlyList<string> customers, string runId)
{
    public const string Kind = "usage";
    private static readonly string[] _metrics = ["api_calls", "storage_gb"];
    private readonly ConcurrentQueue<UsageEventRecord> _acknowledged = new();
    private int _batch;

    public ConcurrentDictionary<string, UsageEventRecord> Events { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> Violations { get; } = [];

    private int _repeatsSent;

    public int RepeatsSent => Volatile.Read(ref _repeatsSent);

    public async Task RunAsync(TimeSpan every, List<Task> inFlight, CancellationToken hardStop, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        while (!stop.IsCancellationRequested && await Waiting(timer, stop))
        {
            lock (inFlight)
            {
                inFlight.Add(SendBatchAsync(Interlocked.Increment(ref _batch), hardStop));
            }
        }
    }

    private static async Task<bool> Waiting(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SendBatchAsync(int batch, CancellationToken hardStop)
    {
        var events = new List<UsageEventRecord>();
        for (var i = 0; i < 5; i++)
        {
            var record = new UsageEventRecord($"{runId}-{api.Host}-{batch}-{i}", customers[Random.Shared.Next(customers.Count)],
                _metrics[Random.Shared.Next(_metrics.Length)], Random.Shared.Next(1, 100));
            Events[record.EventId] = record;
            events.Add(record);
        }
        var repeats = new HashSet<string>(StringComparer.Ordinal);
        if (batch % 5 == 0 && _acknowledged.TryPeek(out _))
        {
            foreach (var old in _acknowledged.Skip(Random.Shared.Next(Math.Max(1, _acknowledged.Count - 2))).Take(2))
            {
                events.Add(old);
                repeats.Add(old.EventId);
                Interlocked.Increment(ref _repeatsSent);
            }
        }
        var body = new
        {
            events = events.Select(e => new { event_id = e.EventId, customer = e.CustomerId, metric = e.Metric, quantity = e.Quantity }).ToArray(),
        };
        var (outcome, reply) = await Retrying.SendAsync(api, Kind, HttpMethod.Post, "/v1/usage_events", body, null, hardStop);
        if (!outcome.Succeeded || reply is not { } json)
        {
            if (outcome.Status is >= 400 and < 500 and not 429)
            {
                Violations.Add($"usage batch {batch} on {api.Host} refused with {outcome.Status}");
            }
            return;
        }
        foreach (var result in json.GetProperty("data").EnumerateArray())
        {
            var eventId = result.GetProperty("event_id").GetString()!;
            var status = result.GetProperty("status").GetString();
            if (status == "rejected")
            {
                Violations.Add($"event {eventId} rejected: {result.GetProperty("error")}");
                continue;
            }
            if (repeats.Contains(eventId) && status != "duplicate")
            {
                Violations.Add($"event {eventId} was acknowledged earlier, then {status} again");
            }
            if (Events.TryGetValue(eventId, out var record) && !record.Acknowledged)
            {
                record.Acknowledged = true;
                _acknowledged.Enqueue(record);
            }
        }
    }
}
