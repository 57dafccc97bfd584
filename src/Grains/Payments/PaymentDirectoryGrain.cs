using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Grains.Payments;

/// <summary>
/// Lists payments from our own records: the index says which and in what order, each PaymentIntentGrain
/// says what (no Stripe call, and no client secret in a list). Not PCI itself: it never sees Stripe.
/// </summary>
[StatelessWorker]
public sealed class PaymentDirectoryGrain(ResourceIndex index) : Grain, IPaymentDirectoryGrain
{
    public async Task<Page<PaymentSnapshot>> ListAsync(PageRequest request, ListFilter filter)
    {
        var scope = this.GetPrimaryKeyString();
        var tenantId = scope.Split('/')[0];
        var page = await FilteredPages.ReadAsync(index, scope, ResourceKinds.Payment, request,
            id => GrainFactory.GetGrain<IPaymentIntentGrain>(PlatformIds.PaymentKey(tenantId, id)).GetAsync(refresh: false),
            p => filter.Matches(StatusName(p.Status), p.Created), p => p.Id);
        return new Page<PaymentSnapshot>(page.Items.Select(p => p with { ClientSecret = null }).ToArray(), page.HasMore);
    }

    /// <summary>The status as the wire spells it (snake_case of the enum name, as the API's JSON does).</summary>
    public static string StatusName(PaymentStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public async Task<Page<PaymentSnapshot>> ListAsync(PageRequest request)
    {
        var scope = this.GetPrimaryKeyString();
        var tenantId = scope.Split('/')[0];
        var (ids, hasMore) = await index.PageAsync(scope, ResourceKinds.Payment, request);
        var snapshots = await Task.WhenAll(ids.Select(id =>
            GrainFactory.GetGrain<IPaymentIntentGrain>(PlatformIds.PaymentKey(tenantId, id)).GetAsync(refresh: false)));
        return new Page<PaymentSnapshot>(
            snapshots.OfType<PaymentSnapshot>().Select(p => p with { ClientSecret = null }).ToArray(), hasMore);
    }
}
