namespace Platform.Grains.Customers;

[GenerateSerializer, Alias("platform.customer_state")]
public sealed class CustomerState
{
    [Id(0)] public string? Id { get; set; }

    /// <summary>Encrypted under the customer's data key (<c>dk:…</c>, see EnvelopeEncryption); plaintext only in
    /// states written before encryption at rest, which the grain encrypts on activation.</summary>
    [Id(1)] public string? Email { get; set; }

    /// <summary>Encrypted as <see cref="Email"/>.</summary>
    [Id(2)] public string? Name { get; set; }

    [Id(3)] public string? Description { get; set; }

    [Id(4)] public Dictionary<string, string> Metadata { get; set; } = [];

    [Id(5)] public DateTimeOffset Created { get; set; }

    [Id(6)] public DateTimeOffset Updated { get; set; }

    [Id(7)] public string? Fingerprint { get; set; }

    [Id(8)] public List<Interfaces.Customers.CustomerApiKeySummary> ApiKeys { get; set; } = [];

    /// <summary>
    /// Events written with the change they describe and published after it (an outbox): a crash
    /// between the write and the publish publishes them on the next activation instead of losing them.
    /// </summary>
    /// <remarks>Event data carries the customer's email and name, so it is stored encrypted as they are.</remarks>
    [Id(9)] public List<Interfaces.Webhooks.PlatformEvent> Outbox { get; set; } = [];

    [Id(10)] public Interfaces.Customers.CustomerStatus Status { get; set; } = Interfaces.Customers.CustomerStatus.Active;

    /// <summary><c>invoice_settings.default_payment_method</c>: what automatic invoices charge (a <c>pm_…</c> id, never card data).</summary>
    [Id(11)] public string? DefaultPaymentMethodId { get; set; }

    /// <summary>The test clock this customer's billing reads its time from, fixed at creation.</summary>
    [Id(12)] public string? TestClockId { get; set; }
}
