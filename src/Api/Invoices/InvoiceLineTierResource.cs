using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>One tier a usage line used: its units, prices and unrounded share (the line rounds the sum once).</summary>
public sealed record InvoiceLineTierResource(int Tier, long? UpTo, decimal Units, long UnitAmount, long FlatAmount, decimal Amount)
{
    public static InvoiceLineTierResource From(InvoiceLineTier t) => new(t.Index, t.UpTo, t.Units, t.UnitAmount, t.FlatAmount, t.Amount);
}
