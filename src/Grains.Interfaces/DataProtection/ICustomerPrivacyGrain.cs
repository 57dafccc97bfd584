namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>
/// A customer's data-subject rights, keyed <c>ten_…/cus_…</c>: export, and an erasure that is a persisted
/// state machine, resumed by a reminder until every step is done. Each call is audited.
/// </summary>
[Alias("platform.customer_privacy")]
public interface ICustomerPrivacyGrain : IGrainWithStringKey
{
    /// <summary>Null when there is no such customer.</summary>
    [Alias("export")]
    Task<CustomerExport?> ExportAsync();

    /// <summary>Starts or resumes the erasure and runs what it can now; null when there is no such customer.
    /// Idempotent: a completed erasure is returned as it is.</summary>
    [Alias("erase")]
    Task<CustomerErasure?> EraseAsync();

    /// <summary>Null when the customer was never erased.</summary>
    [Alias("get_erasure")]
    Task<CustomerErasure?> GetErasureAsync();
}
