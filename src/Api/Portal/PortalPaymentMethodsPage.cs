using System.Text;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Payments;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Saved cards: list, remove, choose the default, and add through a Stripe Checkout Session in setup mode. The card
/// is typed on Stripe's page only; this page never has a card field. Removal goes to the cookie customer's own
/// payment-methods grain, which refuses a card that is not its customer's; so does the check before a new default
/// (<c>invoice_settings.default_payment_method</c>, which automatic invoices charge; a new one retries dunning at once).
/// </summary>
public static class PortalPaymentMethodsPage
{
    private static readonly Dictionary<string, string> _notices = new(StringComparer.Ordinal)
    {
        ["added"] = "Your card was saved.",
        ["removed"] = "The card was removed.",
        ["add_canceled"] = "No card was added.",
        [DefaultNotice] = "Your default card was changed.",
    };

    private const string DefaultNotice = "default";

    public static RouteGroupBuilder MapPortalPaymentMethods(this RouteGroupBuilder portal)
    {
        portal.MapGet("/payment_methods", List);
        portal.MapGet("/payment_methods/add", Add);
        portal.MapPost("/payment_methods/remove", Remove);
        portal.MapPost("/payment_methods/default", SetDefault);
        return portal;
    }

    public static async Task List(HttpContext http, IGrainFactory grains, string? done)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var self = grains.GetGrain<ICustomerGrain>(view.Customer.Key).GetAsync();
        var cards = await grains.GetGrain<IPaymentMethodsGrain>(view.Customer.Key).ListAsync();
        var defaultCard = (await self)?.DefaultPaymentMethodId;
        var html = new StringBuilder(Notice(done is not null ? _notices.GetValueOrDefault(done) : null));
        html.Append("<section class=\"card\" aria-labelledby=\"cards-h\"><h2 id=\"cards-h\">Saved cards</h2>");
        if (cards.Count == 0)
        {
            html.Append("<p id=\"no-cards\">No card is saved.</p>");
        }
        else
        {
            html.Append("<ul class=\"cards\" id=\"cards\">");
            foreach (var card in cards.OrderBy(c => c.Created))
            {
                var hidden = $"<input type=\"hidden\" name=\"payment_method\" value=\"{E(card.Id)}\">";
                html.Append("<li class=\"saved-card\" data-payment-method=\"").Append(E(card.Id)).Append("\"><span>").Append(E(Label(card)))
                    .Append("</span> <span class=\"muted\">expires ").Append(Expiry(card)).Append("</span>")
                    .Append(card.Id == defaultCard ? " <span class=\"status default-card\" id=\"default-card\">Default</span>" : "")
                    .Append("<span class=\"card-actions\">")
                    .Append(card.Id == defaultCard ? "" : Form(view, PortalRoutes.DefaultPaymentMethod, "Make default", hidden, "button secondary"))
                    .Append(Form(view, PortalRoutes.PaymentMethods + "/remove", "Remove", hidden, "button secondary"))
                    .Append("</span></li>");
            }
            html.Append("</ul>");
        }
        html.Append("<p class=\"muted\">Automatic payments use your default card.</p>");
        html.Append("<p><a class=\"button\" id=\"add-card\" href=\"").Append(PortalRoutes.AddPaymentMethod)
            .Append("\">Add a card</a></p><p class=\"muted\">You enter card details on Stripe's secure page, not here.</p></section>");
        await WriteAsync(http, 200, Page(view, PortalRoutes.PaymentMethods, "Payment methods", html.ToString()));
    }

    /// <summary>
    /// A link, not a form: a form's redirect to Stripe's origin would be blocked by <c>form-action 'self'</c>. From an
    /// invoice's page (<c>?invoice=in_…</c>) Stripe brings the customer back to that invoice, built here from a checked id.
    /// </summary>
    public static async Task Add(HttpContext http, IGrainFactory grains, string? invoice)
    {
        var customer = PortalClaims.Customer(http.User);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var back = invoice is not null && PlatformIds.IsInvoiceId(invoice) ? PortalRoutes.Invoice(invoice) : PortalRoutes.PaymentMethods;
        var added = back == PortalRoutes.PaymentMethods ? "added" : "card_added";
        var session = await grains.GetGrain<IPaymentMethodsCheckout>(customer.Key).CreateSetupCheckoutAsync(
            PortalReturn.Url(origin, back + "?done=" + added), PortalReturn.Url(origin, back + "?done=add_canceled"), http.TraceIdentifier);
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = session.Url;
    }

    public static async Task SetDefault(HttpContext http, IGrainFactory grains)
    {
        if (!await PortalPages.ValidFormAsync(http))
        {
            return;
        }
        var customer = PortalClaims.Customer(http.User);
        var id = (await http.Request.ReadFormAsync(http.RequestAborted))["payment_method"].ToString();
        if (!await PortalInvoicePayment.IsOwnCardAsync(grains, customer, id))
        {
            await WriteNoSuchCardAsync(http);
            return;
        }
        await grains.GetGrain<ICustomerGrain>(customer.Key).SetDefaultPaymentMethodAsync(id);
        PortalPages.Done(http, PortalRoutes.PaymentMethods, DefaultNotice);
    }

    public static async Task Remove(HttpContext http, IGrainFactory grains)
    {
        if (!await PortalPages.ValidFormAsync(http))
        {
            return;
        }
        var customer = PortalClaims.Customer(http.User);
        var id = (await http.Request.ReadFormAsync(http.RequestAborted))["payment_method"].ToString();
        try
        {
            if (!id.StartsWith("pm_", StringComparison.Ordinal) || id.Length > 255)
            {
                throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such payment method.");
            }
            await grains.GetGrain<IPaymentMethodsGrain>(customer.Key).DetachAsync(id);
        }
        catch (PlatformException refusal) when (refusal.Kind is PlatformErrorKind.NotFound or PlatformErrorKind.InvalidRequest)
        {
            await WriteNoSuchCardAsync(http);
            return;
        }
        PortalPages.Done(http, PortalRoutes.PaymentMethods, "removed");
    }

    /// <summary>e.g. "Visa ending in 4242".</summary>
    public static string Label(PaymentMethodSnapshot card) => $"{Brand(card.Brand)} ending in {card.Last4}";

    /// <summary>e.g. "04/2031".</summary>
    public static string Expiry(PaymentMethodSnapshot card) =>
        card.ExpMonth?.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "/" + card.ExpYear;

    private static Task WriteNoSuchCardAsync(HttpContext http) =>
        WriteAsync(http, 404, Standalone("No such card", "That card is not one of yours.", PortalRoutes.PaymentMethods, "Back to payment methods"));

    private static string Brand(string? brand) => brand switch
    {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        null => "Card",
        _ => char.ToUpperInvariant(brand[0]) + brand[1..],
    };
}
