namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// An invoice's status, Stripe's words. Stored and sent to tenants: never renamed. A draft can still change;
/// from <see cref="Open"/> on, lines, totals and number are frozen (the database refuses changes).
/// </summary>
public static class InvoiceStatuses
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Paid = "paid";
    public const string Void = "void";
    public const string Uncollectible = "uncollectible";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Draft, Open, Paid, Void, Uncollectible,
    };

    public static bool IsKnown(string? status) => status is not null && All.Contains(status);

    /// <summary>Finalized: numbered, lines and totals frozen.</summary>
    public static bool IsFinalized(string status) => status != Draft;
}
