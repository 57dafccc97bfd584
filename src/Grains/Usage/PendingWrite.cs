namespace Platform.Grains.Usage;

/// <summary>One caller's rows waiting in the <see cref="UsageLogWriter"/> queue, and how to answer it.</summary>
internal sealed record PendingWrite(IReadOnlyList<UsageLogRow> Rows, TaskCompletionSource<long?[]> Completion);
