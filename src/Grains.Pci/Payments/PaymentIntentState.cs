using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Grains.Pci.Payments;

[GenerateSerializer, Alias("platform.payment_intent_state")]
public sealed class PaymentIntentState
{
    [Id(0)] public string? Id { get; set; }

    [Id(1)] public string CustomerId { get; set; } = "";

    [Id(2)] public long Amount { get; set; }

    [Id(3)] public string Currency { get; set; } = "";

    [Id(4)] public string? PaymentMethodId { get; set; }

    [Id(5)] public bool Confirm { get; set; }

    [Id(6)] public Dictionary<string, string> Metadata { get; set; } = [];

    [Id(7)] public string Fingerprint { get; set; } = "";

    [Id(8)] public DateTimeOffset Created { get; set; }

    [Id(9)] public PaymentStatus Status { get; set; } = PaymentStatus.RequiresPaymentMethod;

    /// <summary>Null while the create call has not been answered: a retry then repeats it with the same key.</summary>
    [Id(10)] public string? StripePaymentIntentId { get; set; }

    [Id(11)] public string? ClientSecret { get; set; }

    [Id(12)] public PaymentError? LastPaymentError { get; set; }

    /// <summary>Stripe's final refusal of the create call, replayed to a retry with the same key.</summary>
    [Id(13)] public StoredRefusal? CreateRefusal { get; set; }

    [Id(14)] public long AmountRefunded { get; set; }

    [Id(15)] public List<RefundRecord> Refunds { get; set; } = [];

    [Id(16)] public DateTimeOffset LastSynced { get; set; }

    /// <summary>The facts the last staged events described (events are staged for what changed since).</summary>
    [Id(17)] public PaymentFacts? Announced { get; set; }

    /// <summary>Events staged with the change that caused them, published after the write (an outbox).</summary>
    [Id(18)] public List<PlatformEvent> Outbox { get; set; } = [];
}
