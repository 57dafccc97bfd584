using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Telemetry;

namespace Platform.Grains.Audit;

public sealed class AuditLogGrain(AuditStore store, TimeProvider clock, BillingMetrics metrics, ILogger<AuditLogGrain> logger) : Grain, IAuditLogGrain
{
    private long _lastSequence;
    private string _lastHash = AuditHash.Genesis;

    private string Chain => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_lastSequence, _lastHash) = await store.LastAsync(Chain, cancellationToken);
    }

    public async Task<AuditEntry> AppendAsync(AuditDraft draft)
    {
        var now = clock.GetUtcNow();
        var entry = new AuditEntry(
            Id: PlatformIds.NewAuditEntryId(),
            Chain: Chain,
            Sequence: _lastSequence + 1,
            // Millisecond precision: what the hash covers is exactly what the row can hold.
            Occurred: DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
            Actor: draft.Actor ?? AuditContext.Actor,
            Action: draft.Action,
            Subject: draft.Subject,
            RequestId: draft.RequestId ?? AuditContext.RequestId,
            Ip: draft.Ip ?? AuditContext.Ip,
            Details: draft.Details,
            PreviousHash: _lastHash,
            Hash: "");
        entry = entry with { Hash = AuditHash.Compute(entry) };
        try
        {
            await store.InsertAsync(entry);
        }
        catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // Another writer appended to this chain (a duplicate activation); re-read the tip and let
            // the caller retry rather than fork the chain.
            logger.LogWarning("Audit chain {Chain} moved under this activation; reloading its tip", Chain);
            (_lastSequence, _lastHash) = await store.LastAsync(Chain);
            throw;
        }
        _lastSequence = entry.Sequence;
        _lastHash = entry.Hash;
        return entry;
    }

    public async Task<Page<AuditEntry>> ListAsync(PageRequest request)
    {
        var (entries, hasMore) = await store.PageAsync(Chain, request.Limit, request.StartingAfter);
        return new Page<AuditEntry>(entries, hasMore);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAboutAsync(string resourceId, int limit) =>
        store.AboutAsync(Chain, resourceId, limit);

    public async Task<AuditVerification> VerifyAsync()
    {
        var expectedPrevious = AuditHash.Genesis;
        long expectedSequence = 1;
        long checkedCount = 0;
        await foreach (var entry in store.ReadChainAsync(Chain))
        {
            var reason = entry.Sequence != expectedSequence ? $"sequence {entry.Sequence} found where {expectedSequence} was expected (an entry is missing)"
                : entry.PreviousHash != expectedPrevious ? "its previous-hash link does not match the entry before it"
                : AuditHash.Compute(entry) != entry.Hash ? "its content does not match its hash (the row was changed)"
                : null;
            if (reason is not null)
            {
                metrics.AuditChainVerified(intact: false);
                return new AuditVerification(false, checkedCount, entry.Sequence, entry.Id, reason);
            }
            checkedCount++;
            expectedSequence++;
            expectedPrevious = entry.Hash;
        }
        metrics.AuditChainVerified(intact: true);
        return new AuditVerification(true, checkedCount, null, null, null);
    }
}
