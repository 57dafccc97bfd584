using Microsoft.Extensions.Logging;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.DataProtection;

namespace Platform.Grains.DataProtection;

/// <summary>
/// Moves data keys to the current configured key in batches of <see cref="BatchSize"/>, each batch its
/// own timer turn. Progress needs no cursor: every batch asks the table what is still under an old key,
/// so a crash or restart loses nothing, and the reminder (held while running) brings the job back.
/// </summary>
public sealed class DataKeyRotationGrain(
    [PersistentState(DataKeyRotationGrain.StateName, PlatformStorage.Name)] IPersistentState<DataKeyRotationState> job,
    EnvelopeEncryption envelope,
    FieldProtector keyRing,
    TimeProvider clock,
    ILogger<DataKeyRotationGrain> logger) : Grain, IDataKeyRotationGrain, IRemindable
{
    public const string StateName = "data_key_rotation";
    public const string ReminderName = "data-key-rotation";
    public const int BatchSize = 100;
    private static readonly TimeSpan _reminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;

    public async Task<DataKeyRotationStatus> StartAsync()
    {
        if (!job.State.Running)
        {
            job.State.Running = true;
            job.State.Started = clock.GetUtcNow();
            job.State.Finished = null;
            job.State.LastError = null;
            job.State.Rewrapped = 0;
            await job.WriteStateAsync();
            await this.RegisterOrUpdateReminder(ReminderName, _reminderPeriod, _reminderPeriod);
            await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).AppendAsync(new AuditDraft(
                AuditActions.DataKeyRotationStarted, keyRing.CurrentKeyId ?? "", new Dictionary<string, string>()));
        }
        Wake();
        return await GetAsync();
    }

    public async Task<DataKeyRotationStatus> GetAsync()
    {
        var counts = await envelope.CountByKeyAsync();
        var state = job.State;
        return new DataKeyRotationStatus(state.Running, keyRing.CurrentKeyId ?? "",
            state.Rewrapped, counts.Where(c => c.Key.Length > 0).ToDictionary(c => c.Key, c => c.Value),
            counts.GetValueOrDefault(""), state.Started, state.Finished, state.LastError);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (job.State.Running)
        {
            Wake();
        }
        return Task.CompletedTask;
    }

    private void Wake() =>
        _timer ??= this.RegisterGrainTimer(RunBatchesAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    private async Task RunBatchesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var moved = await envelope.RewrapBatchAsync(BatchSize, cancellationToken);
            job.State.Rewrapped += moved;
            if (moved == 0 && (await envelope.CountByKeyAsync(cancellationToken))
                    .All(c => c.Key.Length == 0 || c.Key == keyRing.CurrentKeyId))
            {
                job.State.Running = false;
                job.State.Finished = clock.GetUtcNow();
                await job.WriteStateAsync(cancellationToken);
                if (await this.GetReminder(ReminderName, cancellationToken) is { } reminder)
                {
                    await this.UnregisterReminder(reminder, cancellationToken);
                }
                logger.LogInformation("Data key rotation finished: {Rewrapped} data keys now under {KeyId}", job.State.Rewrapped, keyRing.CurrentKeyId);
                DisposeTimer();
                return;
            }
            await job.WriteStateAsync(cancellationToken);
            // The next batch in a fresh turn, so calls (status reads) interleave between batches.
            _timer!.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A key missing from configuration, or the database away: the reminder tries again.
            job.State.LastError = e.GetType().Name + ": " + e.Message;
            await job.WriteStateAsync(CancellationToken.None);
            logger.LogError(e, "Data key rotation batch failed; the reminder retries");
            DisposeTimer();
        }
    }

    private void DisposeTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
