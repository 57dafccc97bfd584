using System.Text;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Portal;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Invoices: the customer's finalized invoices, newest first, and each one as a printable document
/// (<see cref="PortalInvoiceDocument"/>). The same grain calls as the REST API (InvoicesApi): the tenant's
/// directory filtered to the cookie's customer, and the invoice grain keyed by the cookie's tenant. An id that
/// is not the cookie customer's own finalized invoice, whoever's it is, gets the one not-found page: no oracle.
/// Drafts are left out: they still change until finalization, and Stripe's portal does not show them either.
/// </summary>
public static class PortalInvoicesPage
{
    public const int PageSize = 20;
    public const string PaidNotice = "paid";

    private static readonly Dictionary<string, string> _notices = new(StringComparer.Ordinal)
    {
        [PaidNotice] = "Paid. Thank you.",
        ["card_added"] = "Your card was saved. You can pay with it now.",
        ["add_canceled"] = "No card was added.",
    };

    public static RouteGroupBuilder MapPortalInvoices(this RouteGroupBuilder portal)
    {
        portal.MapGet("/invoices", List);
        portal.MapGet("/invoices/{id}", Show);
        portal.MapPortalInvoicePayment();
        return portal;
    }

    private static Task InvalidListLinkAsync(HttpContext http) =>
        WriteAsync(http, 400, Standalone("This list link is not valid", "Open the list of invoices from its first page.",
            PortalRoutes.Invoices, "Back to invoices"));

    public static async Task List(HttpContext http, IGrainFactory grains, string? after)
    {
        if (after is not null && !PlatformIds.IsInvoiceId(after))
        {
            await InvalidListLinkAsync(http);
            return;
        }
        var view = await PortalPages.ViewAsync(http, grains);
        Page<InvoiceSnapshot> page;
        try
        {
            page = await grains.GetGrain<IInvoiceDirectoryGrain>(view.Customer.TenantId)
                .ListAsync(new InvoiceQuery(view.Customer.CustomerId, null, null, new PageRequest(PageSize, after)));
        }
        catch (PlatformException unknown) when (unknown.Code == UnknownCursor.Code && unknown.Param == "starting_after")
        {
            // An invoice id that names no invoice here: the same page as a malformed one, not the end of the list.
            await InvalidListLinkAsync(http);
            return;
        }
        var invoices = page.Items.Where(i => InvoiceStatuses.IsFinalized(i.Status)).ToList();
        var html = new StringBuilder("<section class=\"card\" aria-labelledby=\"invoices-h\"><h2 id=\"invoices-h\">")
            .Append(after is null ? "Your invoices" : "Older invoices").Append("</h2>");
        if (invoices.Count == 0)
        {
            html.Append("<p id=\"no-invoices\">").Append(after is null ? "You have no invoices yet." : "There are no older invoices.").Append("</p>");
        }
        else
        {
            html.Append("<div class=\"table-scroll\"><table class=\"lines invoices\" id=\"invoices\"><caption>Newest first</caption><thead><tr>")
                .Append("<th scope=\"col\">Number</th><th scope=\"col\">Period</th><th scope=\"col\">Status</th>")
                .Append("<th scope=\"col\" class=\"amount\">Total</th></tr></thead><tbody>");
            foreach (var invoice in invoices)
            {
                html.Append("<tr data-invoice=\"").Append(E(invoice.Id)).Append("\"><th scope=\"row\"><a href=\"").Append(PortalRoutes.Invoices).Append('/')
                    .Append(E(invoice.Id)).Append("\">").Append(E(invoice.Number ?? invoice.Id)).Append("</a></th><td>")
                    .Append(ShortDate(invoice.PeriodStart)).Append(" – ").Append(ShortDate(invoice.PeriodEnd)).Append("</td><td>")
                    .Append(PortalInvoiceDocument.Status(invoice)).Append("</td><td class=\"amount\">").Append(Money(invoice.Total, invoice.Currency))
                    .Append("</td></tr>");
            }
            html.Append("</tbody></table></div>");
        }
        if (page.HasMore && page.Items.Count > 0)
        {
            html.Append("<p><a id=\"older-invoices\" href=\"").Append(PortalRoutes.Invoices).Append("?after=").Append(E(page.Items[^1].Id))
                .Append("\">Older invoices</a></p>");
        }
        html.Append("</section>");
        await WriteAsync(http, 200, Page(view, PortalRoutes.Invoices, "Invoices", html.ToString()));
    }

    public static async Task Show(HttpContext http, IGrainFactory grains, string id, string? done)
    {
        var invoice = await OwnInvoiceAsync(grains, PortalClaims.Customer(http.User), id);
        if (invoice is null)
        {
            await WriteNotFoundAsync(http);
            return;
        }
        await ShowAsync(http, grains, invoice, 200, done is not null ? _notices.GetValueOrDefault(done) : null);
    }

    /// <summary>The invoice page with a fixed notice or an error above the document (and the pay form when it can be paid).</summary>
    public static async Task ShowAsync(HttpContext http, IGrainFactory grains, InvoiceSnapshot invoice, int status, string? notice = null, string? error = null)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var self = grains.GetGrain<ICustomerGrain>(view.Customer.Key).GetAsync();
        var details = grains.GetGrain<ICustomerBillingDetailsGrain>(view.Customer.Key).GetAsync();
        var payable = PortalInvoicePayment.IsPayable(invoice);
        var cards = payable ? await grains.GetGrain<IPaymentMethodsGrain>(view.Customer.Key).ListAsync() : [];
        var customer = await self;
        var pay = payable ? PortalInvoicePayment.Form(view, invoice, cards, customer?.DefaultPaymentMethodId) : "";
        var top = error is not null ? $"<div class=\"errors\" role=\"alert\" id=\"pay-error\"><p>{E(error)}</p></div>" : Notice(notice);
        var title = "Invoice " + (invoice.Number ?? invoice.Id);
        await WriteAsync(http, status, Page(view, PortalRoutes.Invoices, title, top + PortalInvoiceDocument.Render(view, invoice, customer, await details, pay)));
    }

    /// <summary>The one page for an invoice id that names nothing the customer may see (unknown, malformed, a draft, someone else's).</summary>
    public static Task WriteNotFoundAsync(HttpContext http) => WriteAsync(http, 404, Standalone("No such invoice",
        "There is no invoice with that address in your account.", PortalRoutes.Invoices, "Back to your invoices"));

    /// <summary>The cookie customer's own finalized invoice, or null: another customer's id reads exactly as an unknown one.</summary>
    public static async Task<InvoiceSnapshot?> OwnInvoiceAsync(IGrainFactory grains, PortalCustomer customer, string id)
    {
        if (!PlatformIds.IsInvoiceId(id))
        {
            return null;
        }
        var invoice = await grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(customer.TenantId, id)).GetAsync();
        return invoice is not null && invoice.CustomerId == customer.CustomerId && InvoiceStatuses.IsFinalized(invoice.Status) ? invoice : null;
    }

    private static string ShortDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
