namespace Platform.Grains.Invoices;

/// <summary>The <c>Invoices</c> configuration section, read by every silo.</summary>
public sealed class InvoiceOptions
{
    public const string SectionName = "Invoices";

    /// <summary>How long a closed period's invoice stays a draft, so late usage inside the period still lands (Stripe: 1 h).</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often an invoice with work due (finalization, staged events, handing it to collection) wakes for it:
    /// that work happens at most this late. Orleans refuses periods below ReminderOptions.MinimumReminderPeriod.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The number prefix of a tenant that set none.</summary>
    public string DefaultNumberPrefix { get; set; } = "INV";
}
