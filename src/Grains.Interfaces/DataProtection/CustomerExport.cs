using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>
/// Everything the platform holds about one customer (GDPR art. 15 and 20). Audit entries come with their
/// personal details decrypted (or <c>[erased]</c> once the customer's key is shredded); payments carry no
/// card data and no client secrets.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.customer_export")]
public sealed record CustomerExport(
    [property: Id(0)] CustomerSnapshot Customer,
    [property: Id(1)] IReadOnlyList<CustomerApiKeySummary> ApiKeys,
    [property: Id(2)] UsageSummary? Usage,
    [property: Id(3)] IReadOnlyList<PaymentSnapshot> Payments,
    [property: Id(4)] IReadOnlyList<PlatformEvent> Events,
    [property: Id(5)] IReadOnlyList<AuditEntry> AuditEntries,
    [property: Id(6)] CustomerErasure? Erasure,
    [property: Id(7)] DateTimeOffset Generated);
