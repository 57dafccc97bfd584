using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Products;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Checkout;

/// <summary>
/// The hosted page a session's <c>url</c> opens (<c>/checkout/{id}</c>): what the session buys or saves, a
/// choice of test card and one button. Submitting completes the session as the customer would (the objects
/// and signed webhooks of <see cref="CheckoutCompletion"/>) and answers 303 to <c>success_url</c> with
/// <c>{CHECKOUT_SESSION_ID}</c> filled in. A declining card in payment or subscription mode is refused on the
/// page (402) and the session stays open, as on Stripe; a finished or expired session shows its state.
/// No script: a plain HTML form, so it works in any browser and under a strict Content-Security-Policy.
/// </summary>
internal static class CheckoutPage
{
    private static readonly string[] _cards =
        ["pm_card_visa", "pm_card_mastercard", "pm_card_amex", "pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds"];

    public static IEndpointRouteBuilder MapCheckoutPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/checkout/{id}", Show).WithTags("Checkout").WithName("CheckoutPage").ExcludeFromDescription();
        app.MapPost("/checkout/{id}", SubmitAsync).WithTags("Checkout").WithName("CheckoutPageSubmit").ExcludeFromDescription();
        return app;
    }

    private static IResult Show(string id, [AsParameters] FakeServices services)
    {
        lock (services.State.Sync)
        {
            return services.State.Find(id) is { } session && (string?)session["object"] == "checkout.session"
                ? Page(services, session, 200, error: null)
                : Html(404, "<h1>No such Checkout Session</h1>");
        }
    }

    private static async Task<IResult> SubmitAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var card = form.GetString("payment_method") ?? "pm_card_visa";
        lock (services.State.Sync)
        {
            if (services.State.Find(id) is not { } session || (string?)session["object"] != "checkout.session")
            {
                return Html(404, "<h1>No such Checkout Session</h1>");
            }

            if ((string?)session["status"] != "open")
            {
                return Page(services, session, 409, $"This Checkout Session is {session["status"]}.");
            }

            if ((string?)session["mode"] != "setup" && TestCards.Find(card) is { Behavior: CardBehavior.Declines } declining)
            {
                return Page(services, session, 402, declining.DeclineMessage ?? "Your card was declined.");
            }

            try
            {
                CheckoutCompletion.Complete(services, id, card, RequestInfo.From(http));
            }
            catch (StripeApiException error)
            {
                return Page(services, session, error.StatusCode, error.Message);
            }

            if ((string?)session["success_url"] is not { Length: > 0 } successUrl)
            {
                return Page(services, session, 200, error: null);
            }

            // 303: the browser follows with a GET, as after Stripe's own page.
            http.Response.Headers.Location = successUrl.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal);
            return Results.StatusCode(StatusCodes.Status303SeeOther);
        }
    }

    private static IResult Page(FakeServices services, JsonObject session, int status, string? error)
    {
        var id = (string)session["id"]!;
        var mode = (string?)session["mode"] ?? "payment";
        var open = (string?)session["status"] == "open";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{(mode == "setup" ? "Save a card" : mode == "subscription" ? "Subscribe" : "Pay")}</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Checkout Session <code>{Encode(id)}</code>: mode {Encode(mode)}, status <strong id=\"status\">{Encode((string?)session["status"])}</strong></p>");
        if (((string?)session["customer_email"] ?? (string?)services.State.Find((string?)session["customer"])?["email"]) is { } email)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>For {Encode(email)}</p>");
        }

        html.Append(LineItems(services, session));
        if (error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p role=\"alert\" id=\"error\">{Encode(error)}</p>");
        }

        if (open)
        {
            html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/checkout/{Encode(id)}\">");
            html.Append("<label for=\"payment_method\">Test card</label> <select id=\"payment_method\" name=\"payment_method\">");
            foreach (var card in _cards)
            {
                html.Append(CultureInfo.InvariantCulture, $"<option value=\"{card}\">{card}</option>");
            }

            html.Append(CultureInfo.InvariantCulture, $"</select> <button type=\"submit\" id=\"submit\">{(mode == "setup" ? "Save card" : mode == "subscription" ? "Subscribe" : "Pay")}</button></form>");
            if ((string?)session["cancel_url"] is { Length: > 0 } cancelUrl)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(cancelUrl)}\" id=\"cancel\">Cancel</a></p>");
            }
        }
        else if ((string?)session["success_url"] is { Length: > 0 } successUrl && (string?)session["status"] == "complete")
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(successUrl.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal))}\">Continue</a></p>");
        }

        return Html(status, html.ToString());
    }

    private static string LineItems(FakeServices services, JsonObject session)
    {
        var items = (services.State.Internal((string)session["id"]!)[CheckoutSessionsApi.LineItemsKey] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (items.Count == 0)
        {
            return "<p>Your card is saved for later payments; nothing is charged now.</p>";
        }

        var html = new StringBuilder("<ul>");
        foreach (var item in items)
        {
            var price = PriceCatalog.Price(services, (string)item["price"]!);
            var label = Encode((string?)price["nickname"] ?? (string?)price["id"]);
            html.Append(PriceCatalog.IsMetered(price)
                ? $"<li>{label}: billed by usage at the end of each period</li>"
                : $"<li>{Quantity(item)} × {label}: {Money(Invoices.StripePricing.Amount(price, Quantity(item)), (string?)price["currency"])}</li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ul><p>Due today: <strong id=\"total\">{Money(StripeJson.Long(session["amount_total"]), (string?)session["currency"])}</strong></p>");
        return html.ToString();
    }

    private static long Quantity(JsonObject item) => item["quantity"] is null ? 1 : StripeJson.Long(item["quantity"]);

    private static string Money(long minorUnits, string? currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{minorUnits / 100m:0.00} {Encode(currency?.ToUpperInvariant())}");

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static IResult Html(int status, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Stripe fake checkout</title></head><body>{body}</body></html>",
        "text/html; charset=utf-8",
        Encoding.UTF8,
        status);
}
