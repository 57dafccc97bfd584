namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// A tenant's invoice settings: numbers read <c>{NumberPrefix}-{n:000000}</c> (e.g. <c>ACME-000042</c>);
/// <see cref="NextNumber"/> is the n the next finalized invoice gets (numbers are gapless per tenant).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_settings")]
public sealed record InvoiceSettings(
    [property: Id(0)] string NumberPrefix,
    [property: Id(1)] long NextNumber);
