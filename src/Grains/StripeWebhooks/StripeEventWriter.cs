using Microsoft.Extensions.Logging;
using Platform.Grains.Common;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Group commit for the Stripe event table, one per silo (two <see cref="GroupCommitWriter{TItem, TResult}"/>s,
/// as the usage log has one). Concurrent deliveries queue their insert (or their "processed" mark); a writer
/// loop takes everything queued and sends it as one statement, so a burst shares round trips and commits
/// instead of paying one each. A caller's task completes only after its statement committed.
/// </summary>
public sealed class StripeEventWriter : IAsyncDisposable
{
    private const int MaxRowsPerStatement = 500;
    private const int InsertLoops = 2;
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(10);

    private readonly StripeEventStore _store;
    private readonly GroupCommitWriter<NewStripeEvent, bool> _inserts;
    private readonly GroupCommitWriter<ProcessedStripeEvent, bool> _marks;

    public StripeEventWriter(StripeEventStore store, ILogger<StripeEventWriter> logger)
    {
        _store = store;
        _inserts = new GroupCommitWriter<NewStripeEvent, bool>(InsertManyAsync, InsertLoops, MaxRowsPerStatement, DrainGrace,
            (exception, count) => logger.LogWarning(exception, "Recording {Count} Stripe events failed; their deliveries get a 5xx and Stripe retries", count));
        _marks = new GroupCommitWriter<ProcessedStripeEvent, bool>(MarkManyAsync, 1, MaxRowsPerStatement, DrainGrace,
            (exception, count) => logger.LogWarning(exception, "Marking {Count} Stripe events processed failed; the sweeper applies them again", count));
    }

    /// <summary>True when the event is new; false when its id was recorded before (or earlier in the same statement).</summary>
    public Task<bool> InsertAsync(NewStripeEvent row) => _inserts.WriteAsync(row);

    public Task MarkProcessedAsync(ProcessedStripeEvent row) => _marks.WriteAsync(row);

    private async Task<IReadOnlyList<bool>> InsertManyAsync(IReadOnlyList<NewStripeEvent> batch, CancellationToken stopping)
    {
        // One row per id in a statement; a later copy in the same batch is a duplicate of the first.
        var first = new HashSet<string>(StringComparer.Ordinal);
        var distinct = batch.Where(row => first.Add(row.Event.Id)).ToList();
        var inserted = await _store.InsertManyAsync(distinct, stopping);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        return batch.Select(row => answered.Add(row.Event.Id) && inserted.Contains(row.Event.Id)).ToArray();
    }

    private async Task<IReadOnlyList<bool>> MarkManyAsync(IReadOnlyList<ProcessedStripeEvent> batch, CancellationToken stopping)
    {
        await _store.MarkManyProcessedAsync(batch, stopping);
        return Enumerable.Repeat(true, batch.Count).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _inserts.DisposeAsync();
        await _marks.DisposeAsync();
    }
}
