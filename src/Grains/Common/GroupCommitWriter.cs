using System.Threading.Channels;

namespace Platform.Grains.Common;

/// <summary>
/// Group commit, one per silo and table: callers queue items; a few loops each take whatever is queued
/// (up to <c>maxPerStatement</c>, counted by <c>sizeOf</c>) and hand it to <c>flush</c> as one statement, so
/// a burst shares round trips and commits instead of paying one each. A caller's task completes only after
/// the statement that carried its item committed, with that item's result; when the statement fails,
/// every caller in it gets the exception (and <c>onFailure</c> says so once). Used by the usage log and the
/// Stripe event table.
/// </summary>
public sealed class GroupCommitWriter<TItem, TResult> : IAsyncDisposable
{
    /// <summary>Writes the items as one statement; returns one result per item, in order.</summary>
    public delegate Task<IReadOnlyList<TResult>> FlushAsync(IReadOnlyList<TItem> items, CancellationToken stopping);

    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> _queue =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly FlushAsync _flush;
    private readonly Func<TItem, int> _sizeOf;
    private readonly int _maxPerStatement;
    private readonly TimeSpan _drainGrace;
    private readonly Action<Exception, int> _onFailure;
    private readonly Task[] _loops;

    /// <param name="drainGrace">On dispose, how long queued items may still be written before the rest fail.</param>
    /// <param name="onFailure">Called once per failed statement with its item count (to log it).</param>
    public GroupCommitWriter(FlushAsync flush, int loops, int maxPerStatement, TimeSpan drainGrace,
        Action<Exception, int> onFailure, Func<TItem, int>? sizeOf = null)
    {
        _flush = flush;
        _sizeOf = sizeOf ?? (_ => 1);
        _maxPerStatement = maxPerStatement;
        _drainGrace = drainGrace;
        _onFailure = onFailure;
        _loops = Enumerable.Range(0, loops).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Queues the item; completes with its result once its statement committed.</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((item, done)))
        {
            throw new ObjectDisposedException(typeof(TItem).Name, "The silo is stopping; no more writes are taken.");
        }
        return done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>();
        var items = new List<TItem>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                items.Clear();
                var size = 0;
                while (size < _maxPerStatement && reader.TryRead(out var queued))
                {
                    batch.Add(queued);
                    items.Add(queued.Item);
                    size += _sizeOf(queued.Item);
                }
                if (batch.Count > 0)
                {
                    await FlushBatchAsync(batch, items);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task FlushBatchAsync(List<(TItem Item, TaskCompletionSource<TResult> Done)> batch, List<TItem> items)
    {
        try
        {
            var results = await _flush(items, _stopping.Token);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception exception)
        {
            _onFailure(exception, items.Count);
            foreach (var (_, done) in batch)
            {
                done.TrySetException(exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Let queued writes finish (their callers are waiting for a commit), then stop.
        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(_drainGrace));
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Done.TrySetException(new ObjectDisposedException(typeof(TItem).Name));
        }
        _stopping.Dispose();
    }
}
