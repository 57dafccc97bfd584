using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;

namespace Platform.Grains.Usage;

/// <summary>
/// Group commit for the usage log, one per silo (a <see cref="GroupCommitWriter{TItem, TResult}"/>). Meters
/// queue their rows; a few writer loops each take everything queued (up to MaxRowsPerStatement rows) and
/// send it as one multi-row INSERT … ON CONFLICT DO NOTHING RETURNING. Many concurrent meters, or many
/// concurrent calls of one meter, thus share a round trip and a commit instead of paying one each. A
/// caller's task completes only after its statement committed.
/// </summary>
public sealed class UsageLogWriter : IAsyncDisposable
{
    private readonly UsageLog _log;
    private readonly UsageOptions _options;
    private readonly GroupCommitWriter<IReadOnlyList<UsageLogRow>, long?[]> _writer;

    public UsageLogWriter(UsageLog log, IOptions<UsageOptions> options, ILogger<UsageLogWriter> logger)
    {
        _log = log;
        _options = options.Value;
        _writer = new GroupCommitWriter<IReadOnlyList<UsageLogRow>, long?[]>(FlushAsync, _options.ConcurrentWriters,
            _options.MaxRowsPerStatement, _options.WriteTimeout,
            (exception, writes) => logger.LogWarning(exception, "Usage log insert failed; {Writes} callers will retry", writes),
            rows => rows.Count);
    }

    /// <summary>
    /// Writes the rows; per row, its log sequence when it was new, <see cref="UsageLog.PeriodClosed"/> when its
    /// period's invoice is finalized, or null when the tenant already had that event id (including an earlier row
    /// of the same call or of a call coalesced with it).
    /// </summary>
    public Task<long?[]> WriteAsync(IReadOnlyList<UsageLogRow> rows) =>
        rows.Count == 0 ? Task.FromResult(Array.Empty<long?>()) : _writer.WriteAsync(rows);

    private async Task<IReadOnlyList<long?[]>> FlushAsync(IReadOnlyList<IReadOnlyList<UsageLogRow>> batch, CancellationToken stopping)
    {
        // Keys must be distinct within one statement so that RETURNING maps back to exactly one row;
        // a later copy of a key in the same statement is a duplicate of the first whatever happens.
        var distinct = new List<UsageLogRow>();
        var firstAt = new Dictionary<(string, string), int>();
        var slots = new int[batch.Count][];
        for (var w = 0; w < batch.Count; w++)
        {
            var rows = batch[w];
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
        var inserted = await _log.InsertAsync(distinct, _options.WriteTimeout, stopping);
        var results = new long?[batch.Count][];
        for (var w = 0; w < batch.Count; w++)
        {
            var rows = batch[w];
            results[w] = new long?[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                if (slots[w][r] >= 0 && inserted.TryGetValue((rows[r].TenantId, rows[r].Event.EventId), out var sequence))
                {
                    results[w][r] = sequence;
                }
            }
        }
        return results;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
