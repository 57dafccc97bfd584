using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Group commit for the Stripe event table, one per silo (the same idea as the usage log's writer).
/// Concurrent deliveries queue their insert (or their "processed" mark); a writer loop takes everything
/// queued and sends it as one statement, so a burst shares round trips and commits instead of paying
/// one each. A caller's task completes only after its statement committed.
/// </summary>
public sealed class StripeEventWriter : IAsyncDisposable
{
    private const int MaxRowsPerStatement = 500;
    private const int InsertLoops = 2;

    private readonly Channel<(NewStripeEvent Row, TaskCompletionSource<bool> Done)> _inserts = Channel.CreateUnbounded<(NewStripeEvent, TaskCompletionSource<bool>)>();
    private readonly Channel<(ProcessedStripeEvent Row, TaskCompletionSource Done)> _marks = Channel.CreateUnbounded<(ProcessedStripeEvent, TaskCompletionSource)>();
    private readonly StripeEventStore _store;
    private readonly ILogger<StripeEventWriter> _logger;
    private readonly Task[] _loops;

    public StripeEventWriter(StripeEventStore store, ILogger<StripeEventWriter> logger)
    {
        _store = store;
        _logger = logger;
        _loops = [.. Enumerable.Range(0, InsertLoops).Select(_ => Task.Run(InsertLoopAsync)), Task.Run(MarkLoopAsync)];
    }

    /// <summary>True when the event is new; false when its id was recorded before (or earlier in the same statement).</summary>
    public Task<bool> InsertAsync(NewStripeEvent row)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inserts.Writer.TryWrite((row, done)))
        {
            throw new ObjectDisposedException(nameof(StripeEventWriter), "The silo is stopping.");
        }
        return done.Task;
    }

    public Task MarkProcessedAsync(ProcessedStripeEvent row)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_marks.Writer.TryWrite((row, done)))
        {
            throw new ObjectDisposedException(nameof(StripeEventWriter), "The silo is stopping.");
        }
        return done.Task;
    }

    private async Task InsertLoopAsync()
    {
        var batch = new List<(NewStripeEvent Row, TaskCompletionSource<bool> Done)>();
        while (await _inserts.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxRowsPerStatement && _inserts.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            // One row per id in a statement; a later copy in the same batch is a duplicate of the first.
            var first = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
            var distinct = new List<NewStripeEvent>(batch.Count);
            foreach (var (row, _) in batch)
            {
                if (first.TryAdd(row.Event.Id, distinct.Count))
                {
                    distinct.Add(row);
                }
            }
            try
            {
                var inserted = await _store.InsertManyAsync(distinct);
                var answered = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (row, done) in batch)
                {
                    done.TrySetResult(answered.Add(row.Event.Id) && inserted.Contains(row.Event.Id));
                }
            }
            catch (Exception exception)
            {
                _logger.LogWarning(exception, "Recording {Count} Stripe events failed; their deliveries get a 5xx and Stripe retries", distinct.Count);
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(exception);
                }
            }
        }
    }

    private async Task MarkLoopAsync()
    {
        var batch = new List<(ProcessedStripeEvent Row, TaskCompletionSource Done)>();
        while (await _marks.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxRowsPerStatement && _marks.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                await _store.MarkManyProcessedAsync(batch.Select(b => b.Row).ToList());
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                _logger.LogWarning(exception, "Marking {Count} Stripe events processed failed; the sweeper applies them again", batch.Count);
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(exception);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _inserts.Writer.TryComplete();
        _marks.Writer.TryComplete();
        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(TimeSpan.FromSeconds(10)));
    }
}
