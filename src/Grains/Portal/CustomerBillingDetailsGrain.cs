using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Grains.Portal;

/// <summary>The customer's billing address and tax id; the change is written, then audited with the changed field names.</summary>
public sealed class CustomerBillingDetailsGrain(
    [PersistentState(CustomerBillingDetailsGrain.StateName, PlatformStorage.Name)] IPersistentState<CustomerBillingDetailsState> state)
    : Grain, ICustomerBillingDetailsGrain
{
    public const string StateName = "customer_billing_details";
    public const string AuditAction = "customer.billing_details_updated";

    public Task<BillingDetails?> GetAsync() => Task.FromResult(state.State.Details);

    public async Task<BillingDetails> SetAsync(BillingDetails details)
    {
        var before = state.State.Details ?? new BillingDetails(null, null, null, null, null, null, null, null);
        var changed = Fields(before).Zip(Fields(details)).Where(p => p.First.Value != p.Second.Value).Select(p => p.First.Name).ToArray();
        if (changed.Length == 0)
        {
            return details;
        }
        state.State.Details = details;
        await state.WriteStateAsync();
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        await GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(AuditAction, customerId,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["fields"] = string.Join(',', changed) },
            AuditContext.Actor, AuditContext.RequestId, AuditContext.Ip));
        return details;
    }

    private static (string Name, string? Value)[] Fields(BillingDetails d) =>
    [
        ("line1", d.Line1), ("line2", d.Line2), ("city", d.City), ("postal_code", d.PostalCode), ("state", d.State),
        ("country", d.Country), ("tax_id_type", d.TaxIdType), ("tax_id", d.TaxIdValue),
    ];
}
