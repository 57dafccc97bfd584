namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>
/// What ordinary (non-PCI) grains may see of a verified Stripe event: the event's id, type and time and
/// a reduced view of its <c>data.object</c> (ids, status, metadata, amounts, subscription fields). It
/// never holds card data: of a payment method only the brand and last four digits survive. Times are
/// Stripe's Unix seconds. This is also what is stored and replayed.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_event_data")]
public sealed record StripeEventData
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Type { get; init; }

    /// <summary>When Stripe created the event: the order of events about one object.</summary>
    [Id(2)] public long Created { get; init; }

    [Id(3)] public bool Livemode { get; init; }

    [Id(4)] public string? ApiVersion { get; init; }

    /// <summary>The object's kind (<c>payment_intent</c>, <c>subscription</c>, <c>invoice</c>, …).</summary>
    [Id(5)] public string? ObjectType { get; init; }

    [Id(6)] public string? ObjectId { get; init; }

    [Id(7)] public string? Status { get; init; }

    /// <summary>The Stripe customer (<c>cus_…</c> at Stripe), when the object names one.</summary>
    [Id(8)] public string? Customer { get; init; }

    [Id(9)] public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    [Id(10)] public long? Amount { get; init; }

    [Id(11)] public long? AmountRefunded { get; init; }

    [Id(12)] public string? Currency { get; init; }

    [Id(13)] public string? PaymentIntent { get; init; }

    [Id(14)] public string? PaymentMethod { get; init; }

    [Id(15)] public string? Subscription { get; init; }

    /// <summary>A subscription's latest invoice id.</summary>
    [Id(16)] public string? LatestInvoice { get; init; }

    /// <summary>When Stripe created the object itself.</summary>
    [Id(17)] public long? ObjectCreated { get; init; }

    [Id(18)] public long? CurrentPeriodStart { get; init; }

    [Id(19)] public long? CurrentPeriodEnd { get; init; }

    [Id(20)] public bool? CancelAtPeriodEnd { get; init; }

    [Id(21)] public long? CanceledAt { get; init; }

    [Id(22)] public long? TrialEnd { get; init; }

    [Id(23)] public long? EndedAt { get; init; }

    [Id(24)] public IReadOnlyList<StripeEventItem> Items { get; init; } = [];

    [Id(25)] public string? CardBrand { get; init; }

    [Id(26)] public string? CardLast4 { get; init; }

    /// <summary>Of an invoice: number, totals, period, payment state and lines (null for other objects).</summary>
    [Id(27)] public StripeInvoiceDetails? Invoice { get; init; }

    public string? MetadataValue(string key) => Metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
