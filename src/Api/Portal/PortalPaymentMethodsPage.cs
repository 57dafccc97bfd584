using System.Text;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Saved cards: list, remove, and add through a Stripe Checkout Session in setup mode. The card is typed on
/// Stripe's page only; this page never has a card field. Removal goes to the cookie customer's own
/// payment-methods grain, which refuses a card that is not its customer's.
/// </summary>
public static class PortalPaymentMethodsPage
{
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["added"] = "Your card was saved.",
        ["removed"] = "The card was removed.",
        ["add_canceled"] = "No card was added.",
    };

    public static RouteGroupBuilder MapPortalPaymentMethods(this RouteGroupBuilder portal)
    {
        portal.MapGet("/payment_methods", List);
        portal.MapGet("/payment_methods/add", Add);
        portal.MapPost("/payment_methods/remove", Remove);
        return portal;
    }

    public static async Task List(HttpContext http, IGrainFactory grains, string? done)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var cards = await grains.GetGrain<IPaymentMethodsGrain>(view.Customer.Key).ListAsync();
        var html = new StringBuilder(Notice(done is not null ? Notices.GetValueOrDefault(done) : null));
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
                var label = $"{Brand(card.Brand)} ending in {card.Last4}";
                html.Append("<li class=\"saved-card\" data-payment-method=\"").Append(E(card.Id)).Append("\"><span>").Append(E(label))
                    .Append("</span> <span class=\"muted\">expires ").Append(card.ExpMonth?.ToString("00", System.Globalization.CultureInfo.InvariantCulture))
                    .Append('/').Append(card.ExpYear).Append("</span>")
                    .Append(Form(view, PortalRoutes.PaymentMethods + "/remove", "Remove",
                        $"<input type=\"hidden\" name=\"payment_method\" value=\"{E(card.Id)}\">", "button secondary"))
                    .Append("</li>");
            }
            html.Append("</ul>");
        }
        html.Append("<p><a class=\"button\" id=\"add-card\" href=\"").Append(PortalRoutes.AddPaymentMethod)
            .Append("\">Add a card</a></p><p class=\"muted\">You enter card details on Stripe's secure page, not here.</p></section>");
        await WriteAsync(http, 200, Page(view, PortalRoutes.PaymentMethods, "Payment methods", html.ToString()));
    }

    /// <summary>A link, not a form: a form's redirect to Stripe's origin would be blocked by <c>form-action 'self'</c>.</summary>
    public static async Task Add(HttpContext http, IGrainFactory grains)
    {
        var customer = PortalClaims.Customer(http.User);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var session = await grains.GetGrain<IPaymentMethodsCheckout>(customer.Key).CreateSetupCheckoutAsync(
            origin + PortalRoutes.PaymentMethods + "?done=added", origin + PortalRoutes.PaymentMethods + "?done=add_canceled", http.TraceIdentifier);
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = session.Url;
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
            await WriteAsync(http, 404, Standalone("No such card", "That card is not one of yours.", PortalRoutes.PaymentMethods, "Back to payment methods"));
            return;
        }
        PortalPages.Done(http, PortalRoutes.PaymentMethods, "removed");
    }

    private static string Brand(string? brand) => brand switch
    {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        null => "Card",
        _ => char.ToUpperInvariant(brand[0]) + brand[1..],
    };
}
