namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// One tier a usage line used: <see cref="Units"/> of the line's quantity priced at <see cref="UnitAmount"/>
/// each plus <see cref="FlatAmount"/> once (tier <see cref="Index"/> of the plan's charge, 0-based; up to
/// <see cref="UpTo"/>, null: no end). <see cref="Amount"/> is that tier's unrounded share in minor units;
/// the line's amount rounds their sum once (docs/INVOICES.md, rounding).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_line_tier")]
public sealed record InvoiceLineTier(
    [property: Id(0)] int Index,
    [property: Id(1)] long? UpTo,
    [property: Id(2)] decimal Units,
    [property: Id(3)] long UnitAmount,
    [property: Id(4)] long FlatAmount,
    [property: Id(5)] decimal Amount);
