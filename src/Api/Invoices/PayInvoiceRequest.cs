namespace Platform.Api.Invoices;

/// <summary>The body of POST /v1/invoices/{id}/pay: the payment method to charge (else the customer's default).</summary>
public sealed record PayInvoiceRequest(string? PaymentMethod);
