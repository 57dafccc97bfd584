namespace Platform.Grains.Pci.Invoices;

/// <summary>The one PaymentIntent of an invoice: written as soon as Stripe has made it, before it is confirmed.</summary>
[GenerateSerializer, Alias("platform.invoice_collection_state")]
public sealed class InvoiceCollectionState
{
    [Id(0)] public string? StripePaymentIntentId { get; set; }

    [Id(1)] public long Amount { get; set; }

    [Id(2)] public string? Currency { get; set; }

    /// <summary>Set once the PaymentIntent is known to have succeeded: later attempts answer from here.</summary>
    [Id(3)] public bool Succeeded { get; set; }
}
