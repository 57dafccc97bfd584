namespace Platform.Grains.Interfaces.Billing;

/// <summary>One line of an invoice: the plan's flat price (<see cref="Metric"/> null) or one metric's usage charge.</summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_line")]
public sealed record InvoiceLine(
    [property: Id(0)] string Description,
    [property: Id(1)] string? Metric,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] long Amount);
