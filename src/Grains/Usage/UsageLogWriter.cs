using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Usage;

/// <summary>
/// Group commit for the usage log, one per silo. Meters enqueue their rows; a few writer loops each take
/// everything queued (up to MaxRowsPerStatement rows) and send it as one multi-row INSERT … ON CONFLICT
/// DO NOTHING RETURNING. Many concurrent meters, or many concurrent calls of one meter, thus share a
/// round trip and a commit instead of paying one each. A caller's task completes only after its
/// statement committed.
/// </summary>
public sealed class UsageLogWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly UsageLog _log;
    private readonly UsageOptions _options;
    private readonly ILogger<UsageLogWriter> _logger;
    private readonly Task[] _loops;

    public UsageLogWriter(UsageLog log, IOptions<UsageOptions> options, ILogger<UsageLogWriter> logger)
    {
        _log = log;
        _options = options.Value;
        _logger = logger;
        _loops = Enumerable.Range(0, _options.ConcurrentWriters).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>
    /// Writes the rows; per row, its log sequence when it was new, <see cref="UsageLog.PeriodClosed"/> when its
    /// period's invoice is finalized, or null when the tenant already had that event id (including an earlier row
    /// of the same call or of a call coalesced with it).
    /// </summary>
    public Task<long?[]> WriteAsync(IReadOnlyList<UsageLogRow> rows)
    {
        if (rows.Count == 0)
        {
            return Task.FromResult(Array.Empty<long?>());
        }
        var write = new PendingWrite(rows, new TaskCompletionSource<long?[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(UsageLogWriter), "The silo is stopping; the usage log takes no more writes.");
        }
        return write.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                var rows = 0;
                while (rows < _options.MaxRowsPerStatement && reader.TryRead(out var write))
                {
                    batch.Add(write);
                    rows += write.Rows.Count;
                }
                if (batch.Count > 0)
                {
                    await FlushAsync(batch, rows);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(List<PendingWrite> batch, int rowCount)
    {
        // Keys must be distinct within one statement so that RETURNING maps back to exactly one row;
        // a later copy of a key in the same statement is a duplicate of the first whatever happens.
        var distinct = new List<UsageLogRow>(rowCount);
        var firstAt = new Dictionary<(string, string), int>(rowCount);
        var slots = new int[batch.Count][];
        for (var w = 0; w < batch.Count; w++)
        {
            var rows = batch[w].Rows;
            slots[w] = new int[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                var key = (rows[r].TenantId, rows[r].Event.EventId);
                if (firstAt.TryAdd(key, distinct.Count))
                {
                    slots[w][r] = distinct.Count;
                    distinct.Add(rows[r]);
                }
                else
                {
                    slots[w][r] = -1;
                }
            }
        }
        try
        {
            var inserted = await _log.InsertAsync(distinct, _options.WriteTimeout, _stopping.Token);
            for (var w = 0; w < batch.Count; w++)
            {
                var rows = batch[w].Rows;
                var result = new long?[rows.Count];
                for (var r = 0; r < rows.Count; r++)
                {
                    var slot = slots[w][r];
                    if (slot >= 0 && inserted.TryGetValue((rows[r].TenantId, rows[r].Event.EventId), out var sequence))
                    {
                        result[r] = sequence;
                    }
                }
                batch[w].Completion.TrySetResult(result);
            }
        }
        catch (Exception exception)
        {
            _logger.LogWarning(exception, "Usage log insert of {Rows} rows failed; {Writes} callers will retry", distinct.Count, batch.Count);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Let queued writes finish (their callers are waiting for a commit), then stop.
        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(_options.WriteTimeout));
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_queue.Reader.TryRead(out var write))
        {
            write.Completion.TrySetException(new ObjectDisposedException(nameof(UsageLogWriter)));
        }
        _stopping.Dispose();
    }
}
