using System.Globalization;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Audit;

[StatelessWorker]
public sealed class AuditExportGrain(AuditStore store) : Grain, IAuditExportGrain
{
    public async Task<Page<AuditEntry>> ExportAsync(AuditExportRequest request)
    {
        if (request.StartingAfter is null)
        {
            // Recorded before reading: an export that fails half-way still shows it was attempted.
            await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).AppendAsync(new AuditDraft(
                AuditActions.AuditExported, request.Chain ?? "all", new Dictionary<string, string>
                {
                    ["since"] = request.Since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    ["until"] = request.Until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                }));
        }
        var (entries, hasMore) = await store.WindowAsync(request.Chain, request.Since, request.Until, request.Limit, request.StartingAfter);
        return new Page<AuditEntry>(entries, hasMore);
    }
}
