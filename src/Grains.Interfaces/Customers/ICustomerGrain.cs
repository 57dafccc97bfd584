namespace Platform.Grains.Interfaces.Customers;

/// <summary>A tenant's customer, keyed <c>ten_…/cus_…</c> (see PlatformIds.CustomerKey).</summary>
[Alias("platform.customer")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Creates the customer, or returns it unchanged when the same draft was already applied.</summary>
    [Alias("create")]
    Task<CustomerSnapshot> CreateAsync(CustomerDraft draft);

    [Alias("get")]
    Task<CustomerSnapshot?> GetAsync();

    /// <summary>Null when the customer does not exist.</summary>
    [Alias("update")]
    Task<CustomerSnapshot?> UpdateAsync(CustomerPatch patch);

    /// <summary>Issues a customer key (<c>cust_…</c>); the secret exists only in the reply.</summary>
    [Alias("issue_api_key")]
    Task<IssuedCustomerApiKey> IssueApiKeyAsync();

    [Alias("list_api_keys")]
    Task<IReadOnlyList<CustomerApiKeySummary>> ListApiKeysAsync();

    /// <summary>Null when this customer has no such key.</summary>
    [Alias("revoke_api_key")]
    Task<CustomerApiKeySummary?> RevokeApiKeyAsync(string keyId);

    /// <summary>Revokes every live key issued before <paramref name="issuedBefore"/> (all when null), each
    /// audited; answers their ids. Pushes no notice: the caller (a tenant-wide revocation) pushes one for all.</summary>
    [Alias("revoke_api_keys_issued_before")]
    Task<IReadOnlyList<string>> RevokeApiKeysAsync(DateTimeOffset? issuedBefore);

    /// <summary>
    /// Erases the customer's personal data here: fields blanked, status erased, every key revoked, its
    /// data key shredded. Idempotent (every call redoes the idempotent parts). Null when there is no such
    /// customer. The rest of an erasure (usage, events, Stripe, audit) is run by ICustomerErasureGrain.
    /// </summary>
    [Alias("erase")]
    Task<CustomerErasureResult?> EraseAsync();

    /// <summary>
    /// Sets <c>invoice_settings.default_payment_method</c> (a method the caller checked is attached; null clears it).
    /// With <paramref name="onlyIfUnset"/> it is set only when the customer has none (the first attached method
    /// becomes the default). A new default retries the customer's automatic invoices in dunning at once.
    /// Null when there is no such customer.
    /// </summary>
    [Alias("set_default_payment_method")]
    Task<CustomerSnapshot?> SetDefaultPaymentMethodAsync(string? paymentMethodId, bool onlyIfUnset = false);

    /// <summary>A payment method was detached: when it was the default, the customer has none now.</summary>
    [Alias("forget_payment_method")]
    Task ForgetPaymentMethodAsync(string paymentMethodId);
}
