namespace Platform.Grains.Interfaces.Portal;

/// <summary>A customer's billing address and tax id, keyed <c>ten_…/cus_…</c>; every change is audited.</summary>
[Alias("platform.customer_billing_details")]
public interface ICustomerBillingDetailsGrain : IGrainWithStringKey
{
    [Alias("get")]
    Task<BillingDetails?> GetAsync();

    /// <summary>Stores the details and audits which fields changed (names only: the values are personal data).</summary>
    [Alias("set")]
    Task<BillingDetails> SetAsync(BillingDetails details);
}
