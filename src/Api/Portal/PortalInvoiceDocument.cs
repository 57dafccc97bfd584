using System.Globalization;
using System.Text;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Portal;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// One invoice as a printable HTML document: who bills whom, the number and period, each line with its quantity
/// and the tiers it used, the totals, and what is paid or still due. portal.css's print rules drop the portal's
/// chrome, so the browser's "print" (or "save as PDF") gives the document alone.
/// </summary>
public static class PortalInvoiceDocument
{
    /// <param name="pay">The pay form (<see cref="PortalInvoicePayment.Form"/>) when the invoice can be paid, else empty.</param>
    public static string Render(PortalView view, InvoiceSnapshot invoice, CustomerSnapshot? customer, BillingDetails? details, string pay = "")
    {
        var html = new StringBuilder(4096);
        html.Append("<p class=\"actions no-print\"><a class=\"button secondary\" href=\"").Append(PortalRoutes.Invoices)
            .Append("\">All invoices</a> <button type=\"button\" class=\"button secondary\" id=\"print-invoice\" hidden>Print or save as PDF</button></p>")
            .Append("<article class=\"card invoice\" id=\"invoice\" aria-label=\"Invoice ").Append(E(invoice.Number ?? invoice.Id)).Append("\">")
            .Append("<div class=\"parties\"><section aria-labelledby=\"from-h\"><h2 id=\"from-h\">From</h2><p class=\"party\" id=\"invoice-from\">")
            .Append(E(view.TenantName)).Append("</p></section><section aria-labelledby=\"to-h\"><h2 id=\"to-h\">Billed to</h2><p class=\"party\" id=\"invoice-to\">")
            .Append(BilledTo(view, customer, details)).Append("</p></section></div>")
            .Append("<dl class=\"facts\"><dt>Invoice number</dt><dd id=\"invoice-number\">").Append(E(invoice.Number ?? "—")).Append("</dd>")
            .Append("<dt>Status</dt><dd id=\"invoice-status\">").Append(Status(invoice)).Append("</dd>")
            .Append("<dt>Period</dt><dd id=\"invoice-period\">").Append(Date(invoice.PeriodStart)).Append(" – ").Append(Date(invoice.PeriodEnd)).Append("</dd>")
            .Append("<dt>Issued</dt><dd>").Append(Date(invoice.StatusTransitions.FinalizedAt ?? invoice.Created)).Append("</dd>");
        if (invoice.DueDate is { } due)
        {
            html.Append("<dt>Due</dt><dd id=\"invoice-due\">").Append(Date(due)).Append("</dd>");
        }
        html.Append("</dl>").Append(Lines(invoice)).Append(Payment(view, invoice, pay)).Append("</article>");
        return html.ToString();
    }

    /// <summary>The status as a labelled badge (also used by the list).</summary>
    public static string Status(InvoiceSnapshot invoice) =>
        $"<span class=\"status status-invoice-{E(invoice.Status)}\">{E(StatusLabel(invoice))}</span>";

    public static string StatusLabel(InvoiceSnapshot invoice) => invoice.Status switch
    {
        InvoiceStatuses.Open => "Due",
        InvoiceStatuses.Paid => "Paid",
        InvoiceStatuses.Void => "Void",
        InvoiceStatuses.Uncollectible => "Unpaid",
        InvoiceStatuses.Draft => "Draft",
        _ => invoice.Status,
    };

    private static string BilledTo(PortalView view, CustomerSnapshot? customer, BillingDetails? details)
    {
        var parts = new List<string?> { customer?.Name ?? view.CustomerName ?? view.Customer.CustomerId, customer?.Email };
        if (details is not null)
        {
            parts.Add(details.Line1);
            parts.Add(details.Line2);
            parts.Add(string.Join(" ", new[] { details.PostalCode, details.City }.Where(p => !string.IsNullOrEmpty(p))));
            parts.Add(details.State);
            parts.Add(details.Country);
            if (details.TaxIdValue is { Length: > 0 } taxId)
            {
                var label = details.TaxIdType is { } type && TaxIds.Types.TryGetValue(type, out var rule) ? rule.Label : "Tax id";
                parts.Add($"{label}: {taxId}");
            }
        }
        return string.Join("<br>", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(E));
    }

    private static string Lines(InvoiceSnapshot invoice)
    {
        var html = new StringBuilder("<div class=\"table-scroll\"><table class=\"lines\" id=\"invoice-lines\"><caption>Lines</caption><thead><tr>")
            .Append("<th scope=\"col\">Description</th><th scope=\"col\" class=\"amount\">Quantity</th><th scope=\"col\" class=\"amount\">Amount</th>")
            .Append("</tr></thead><tbody>");
        foreach (var line in invoice.Lines)
        {
            html.Append("<tr data-line=\"").Append(E(line.Id)).Append("\"><td><span class=\"line-description\">").Append(E(line.Description)).Append("</span>");
            if (line.PeriodStart != invoice.PeriodStart || line.PeriodEnd != invoice.PeriodEnd)
            {
                html.Append("<span class=\"muted line-period\">").Append(Date(line.PeriodStart)).Append(" – ").Append(Date(line.PeriodEnd)).Append("</span>");
            }
            if (line.Tiers.Count > 0)
            {
                html.Append("<ul class=\"tiers\">");
                foreach (var tier in line.Tiers)
                {
                    html.Append("<li>").Append(E(Tier(line, tier, invoice.Currency))).Append("</li>");
                }
                html.Append("</ul>");
            }
            html.Append("</td><td class=\"amount\">").Append(Number(line.Quantity)).Append("</td><td class=\"amount\">")
                .Append(Money(line.Amount, invoice.Currency)).Append("</td></tr>");
        }
        html.Append("</tbody><tfoot>").Append(Total("Subtotal", "invoice-subtotal", invoice.Subtotal, invoice.Currency));
        // Each adjustment is shown when it is there (docs/INVOICES.md "Adjustments"), never folded into another figure.
        var amounts = invoice.Amounts;
        if (amounts is { TotalDiscount: > 0 })
        {
            html.Append(Total($"Discount{(invoice.Discount is { PercentOff: { } percent } ? $" ({percent:0.####} %)" : "")}", "invoice-discount", -amounts.TotalDiscount, invoice.Currency));
        }
        if (amounts is not null)
        {
            // Inclusive tax is inside the line amounts (shown for information); exclusive tax is added to the total.
            var inclusive = invoice.Subtotal - amounts.TotalDiscount - amounts.TotalExcludingTax;
            var exclusive = amounts.Tax - inclusive;
            if (exclusive != 0)
            {
                html.Append(Total("Tax", "invoice-tax", exclusive, invoice.Currency));
            }
            if (inclusive != 0)
            {
                html.Append(Total("Tax included in the prices above", "invoice-tax-included", inclusive, invoice.Currency));
            }
        }
        html.Append(Total("Total", "invoice-total", invoice.Total, invoice.Currency));
        if (amounts is { CreditsApplied: > 0 })
        {
            html.Append(Total("Prepaid credits", "invoice-credits", -amounts.CreditsApplied, invoice.Currency));
        }
        if (amounts is { EndingBalance: { } ending } && ending != amounts.StartingBalance)
        {
            html.Append(Total("Account balance applied", "invoice-balance", ending - amounts.StartingBalance, invoice.Currency));
        }
        if (amounts is { PrePaymentCreditNotes: > 0 })
        {
            html.Append(Total("Credit notes", "invoice-credit-notes", -amounts.PrePaymentCreditNotes, invoice.Currency));
        }
        html
            .Append(Total("Amount paid", "invoice-paid", invoice.AmountPaid, invoice.Currency))
            .Append(Total(invoice.Status == InvoiceStatuses.Open ? "Amount due" : "Amount remaining", "invoice-remaining", invoice.AmountRemaining, invoice.Currency))
            .Append("</tfoot></table></div>");
        return html.ToString();
    }

    private static string Total(string label, string id, long amount, string currency) =>
        $"<tr class=\"total\"><th scope=\"row\" colspan=\"2\">{E(label)}</th><td class=\"amount\" id=\"{id}\">{Money(amount, currency)}</td></tr>";

    /// <summary>e.g. "Tier 2 (up to 1,000): 150 × 0.05 USD = 7.50 USD".</summary>
    private static string Tier(InvoiceLineItem line, InvoiceLineTier tier, string currency)
    {
        var range = tier.UpTo is { } upTo ? $"up to {Number(upTo)}" : "and above";
        var price = line.Model == PricingModel.Package ? "" : $"{Number(tier.Units)} × {Money(tier.UnitAmount, currency)}";
        var flat = tier.FlatAmount != 0 ? $"{(price.Length > 0 ? " + " : "")}{Money(tier.FlatAmount, currency)} flat" : "";
        var amount = Common.Currencies.Major(tier.Amount, currency).ToString("#,0." + new string('0', Common.Currencies.Decimals(currency)) + "##", CultureInfo.InvariantCulture)
                     + " " + currency.ToUpperInvariant();
        return $"Tier {tier.Index + 1} ({range}): {price}{flat} = {amount}";
    }

    private static string Payment(PortalView view, InvoiceSnapshot invoice, string pay)
    {
        var html = new StringBuilder("<section class=\"payment\" aria-labelledby=\"payment-h\"><h2 id=\"payment-h\">Payment</h2><p id=\"invoice-payment\">");
        var remaining = Money(invoice.AmountRemaining, invoice.Currency);
        switch (invoice.Status)
        {
            case InvoiceStatuses.Paid:
                html.Append("Paid in full").Append(invoice.StatusTransitions.PaidAt is { } paidAt ? " on " + Date(paidAt) : "").Append('.');
                break;
            case InvoiceStatuses.Void:
                html.Append("This invoice was voided. Nothing is owed on it.");
                break;
            case InvoiceStatuses.Open when invoice.CollectionMethod == CollectionMethods.SendInvoice:
                html.Append(remaining).Append(" is due").Append(invoice.DueDate is { } due ? " by " + Date(due) : "").Append('.');
                if (invoice.AttemptCount > 0)
                {
                    html.Append(" The last payment did not go through.");
                }
                break;
            case InvoiceStatuses.Open:
                html.Append(remaining).Append(" will be charged to your default card automatically.");
                if (invoice.AttemptCount > 0)
                {
                    html.Append(" The last attempt did not go through")
                        .Append(invoice.NextPaymentAttempt is { } next ? "; the next is on " + Date(next) : "").Append(". ")
                        .Append("Pay now with a card below, or <a href=\"").Append(PortalRoutes.PaymentMethods)
                        .Append("\">choose another default card</a> and it is charged at once.");
                }
                break;
            default:
                html.Append(remaining).Append(" remains unpaid.").Append(pay.Length > 0 ? " You can still pay it here." : " Please contact " + E(view.TenantName) + ".");
                break;
        }
        return html.Append("</p>").Append(pay).Append("</section>").ToString();
    }
}
