using System.Text;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Payments;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Paying an invoice from its page: a form naming one of the customer's saved cards (the default chosen), posted to
/// <c>/portal/invoices/{id}/pay</c>, which pays through <see cref="IInvoiceGrain.PayAsync"/>, the invoice's one
/// PaymentIntent, as <c>POST /v1/invoices/{id}/pay</c> does. No card is typed here: a new card is saved on Stripe's
/// Checkout page, which brings the customer back to the invoice. A decline is recorded on the invoice by the grain
/// (attempt_count) and answered as the invoice page with the reason, 402; nothing else changes.
/// </summary>
public static class PortalInvoicePayment
{
    public const string PaymentMethodField = "payment_method";

    public static RouteGroupBuilder MapPortalInvoicePayment(this RouteGroupBuilder portal)
    {
        portal.MapPost("/invoices/{id}/pay", Pay);
        return portal;
    }

    /// <summary>
    /// Whether the page offers to pay: open or uncollectible with something left, except an automatic invoice whose
    /// first attempt is still to come (the scheduled charge takes it; a failed one puts it in dunning, payable here).
    /// </summary>
    public static bool IsPayable(InvoiceSnapshot invoice) =>
        invoice is { Status: InvoiceStatuses.Open or InvoiceStatuses.Uncollectible, AmountRemaining: > 0 }
        && !(invoice is { Status: InvoiceStatuses.Open, CollectionMethod: CollectionMethods.ChargeAutomatically, AttemptCount: 0 });

    /// <summary>The pay form (or, with no saved card, the way to add one); left out of print.</summary>
    public static string Form(PortalView view, InvoiceSnapshot invoice, IReadOnlyList<PaymentMethodSnapshot> cards, string? defaultCard)
    {
        var addCard = PortalRoutes.AddPaymentMethod + "?invoice=" + Uri.EscapeDataString(invoice.Id);
        if (cards.Count == 0)
        {
            return $"<p class=\"no-print\" id=\"pay-no-card\">To pay online, <a href=\"{E(addCard)}\" id=\"pay-add-card\">add a card</a>. "
                + "You enter its details on Stripe's secure page, not here.</p>";
        }
        var ordered = cards.OrderBy(c => c.Created).ToList();
        var chosen = ordered.Any(c => c.Id == defaultCard) ? defaultCard : ordered[0].Id;
        var html = new StringBuilder("<form method=\"post\" class=\"pay no-print\" id=\"pay-form\" action=\"")
            .Append(E(PortalRoutes.PayInvoice(invoice.Id))).Append("\">").Append(Csrf(view))
            .Append("<fieldset><legend>Pay with</legend>");
        foreach (var card in ordered)
        {
            var field = "pay-" + card.Id;
            html.Append("<div class=\"choice\"><input type=\"radio\" name=\"").Append(PaymentMethodField).Append("\" id=\"").Append(E(field))
                .Append("\" value=\"").Append(E(card.Id)).Append('"').Append(card.Id == chosen ? " checked" : "").Append("><label for=\"")
                .Append(E(field)).Append("\">").Append(E(PortalPaymentMethodsPage.Label(card))).Append(" <span class=\"muted\">expires ")
                .Append(PortalPaymentMethodsPage.Expiry(card)).Append(card.Id == defaultCard ? " · default" : "").Append("</span></label></div>");
        }
        return html.Append("</fieldset><button type=\"submit\" class=\"button\" id=\"pay-button\">Pay ")
            .Append(Money(invoice.AmountRemaining, invoice.Currency)).Append("</button></form>")
            .Append("<p class=\"muted no-print\">Or <a href=\"").Append(E(addCard)).Append("\" id=\"pay-add-card\">add a card</a>: ")
            .Append("you enter its details on Stripe's secure page, not here.</p>").ToString();
    }

    public static async Task Pay(HttpContext http, IGrainFactory grains, string id)
    {
        if (!await PortalPages.ValidFormAsync(http))
        {
            return;
        }
        var customer = PortalClaims.Customer(http.User);
        if (await PortalInvoicesPage.OwnInvoiceAsync(grains, customer, id) is not { } invoice)
        {
            await PortalInvoicesPage.WriteNotFoundAsync(http);
            return;
        }
        if (invoice.Status == InvoiceStatuses.Paid)
        {
            // A second click after the first paid it: it is paid, once.
            PortalPages.Done(http, PortalRoutes.Invoice(invoice.Id), PortalInvoicesPage.PaidNotice);
            return;
        }
        if (!IsPayable(invoice))
        {
            await PortalInvoicesPage.ShowAsync(http, grains, invoice, 409, error: "This invoice cannot be paid from this page.");
            return;
        }
        var paymentMethod = (await http.Request.ReadFormAsync(http.RequestAborted))[PaymentMethodField].ToString();
        if (!await IsOwnCardAsync(grains, customer, paymentMethod))
        {
            await PortalInvoicesPage.ShowAsync(http, grains, invoice, 400, error: "Choose one of your saved cards to pay with.");
            return;
        }
        InvoiceSnapshot after;
        try
        {
            after = await grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(customer.TenantId, invoice.Id)).PayAsync(paymentMethod);
        }
        catch (PlatformException refusal) when (refusal.Kind is PlatformErrorKind.Unavailable or PlatformErrorKind.Conflict)
        {
            var now = await PortalInvoicesPage.OwnInvoiceAsync(grains, customer, id) ?? invoice;
            await PortalInvoicesPage.ShowAsync(http, grains, now, refusal.Kind == PlatformErrorKind.Unavailable ? 503 : 409,
                error: refusal.Kind == PlatformErrorKind.Unavailable
                    ? "The payment service could not be reached. Please try again in a moment: this invoice is never charged twice."
                    : "This invoice cannot be paid from this page.");
            return;
        }
        if (after.Status == InvoiceStatuses.Paid)
        {
            PortalPages.Done(http, PortalRoutes.Invoice(invoice.Id), PortalInvoicesPage.PaidNotice);
            return;
        }
        await PortalInvoicesPage.ShowAsync(http, grains, after, 402,
            error: "Your card was declined. Nothing was charged and the invoice is still due: choose another card or add a new one.");
    }

    /// <summary>The card is one of the cookie customer's own (another customer's reads as unknown).</summary>
    public static async Task<bool> IsOwnCardAsync(IGrainFactory grains, PortalCustomer customer, string paymentMethod)
    {
        if (!paymentMethod.StartsWith("pm_", StringComparison.Ordinal) || paymentMethod.Length > 255)
        {
            return false;
        }
        try
        {
            await grains.GetGrain<IPaymentMethodsGrain>(customer.Key).RequireAttachedAsync(paymentMethod);
            return true;
        }
        catch (PlatformException refusal) when (refusal.Kind is PlatformErrorKind.NotFound or PlatformErrorKind.InvalidRequest)
        {
            return false;
        }
    }
}
