using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Platform.Api.Portal;

/// <summary>
/// The portal's HTML: one layout (landmarks, skip link, navigation with aria-current), encoded text only, no
/// inline script or style, so the strict <see cref="ContentSecurityPolicy"/> holds on every page.
/// </summary>
public static class PortalHtml
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private static readonly (string Path, string Label)[] Navigation =
    [
        (PortalRoutes.Root, "Overview"),
        (PortalRoutes.Usage, "Usage"),
        (PortalRoutes.Plan, "Plan"),
        (PortalRoutes.Invoices, "Invoices"),
        (PortalRoutes.PaymentMethods, "Payment methods"),
        (PortalRoutes.Billing, "Billing details"),
    ];

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Date(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) : "—";

    public static string Money(long amount, string currency) =>
        Common.Currencies.Major(amount, currency).ToString("N" + Common.Currencies.Decimals(currency), CultureInfo.InvariantCulture) + " " + currency.ToUpperInvariant();

    public static string Number(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A form posting to <paramref name="action"/> with the antiforgery token and a submit button.</summary>
    public static string Form(PortalView view, string action, string button, string fields = "", string buttonClass = "button") =>
        $"<form method=\"post\" action=\"{E(action)}\">{Csrf(view)}{fields}<button type=\"submit\" class=\"{buttonClass}\">{E(button)}</button></form>";

    public static string Csrf(PortalView view) =>
        $"<input type=\"hidden\" name=\"{PortalServiceCollectionExtensions.AntiforgeryField}\" value=\"{E(view.CsrfToken)}\">";

    public static string Notice(string? message) =>
        message is null ? "" : $"<p class=\"notice\" role=\"status\">{E(message)}</p>";

    public static string Page(PortalView view, string current, string title, string content)
    {
        var html = new StringBuilder(4096);
        Head(html, title + " · " + view.TenantName, view.TenantName);
        html.Append("<header class=\"brand\"><div class=\"wrap\"><span class=\"tenant\">").Append(E(view.TenantName))
            .Append("</span><span class=\"who\">Billing for ").Append(E(view.CustomerName ?? view.Customer.CustomerId)).Append("</span></div></header>");
        html.Append("<nav aria-label=\"Billing\"><div class=\"wrap\"><ul>");
        foreach (var (path, label) in Navigation)
        {
            var here = path == current ? " aria-current=\"page\"" : "";
            html.Append("<li><a href=\"").Append(path).Append('"').Append(here).Append('>').Append(label).Append("</a></li>");
        }
        html.Append("</ul></div></nav><main id=\"main\" class=\"wrap\"><h1>").Append(E(title)).Append("</h1>").Append(content).Append("</main>");
        html.Append("<footer class=\"wrap\">");
        if (view.ReturnUrl is not null)
        {
            html.Append("<a href=\"").Append(E(view.ReturnUrl)).Append("\">Back to ").Append(E(view.TenantName)).Append("</a>");
        }
        html.Append(Form(view, PortalRoutes.SignOut, "Sign out", buttonClass: "link")).Append("</footer></body></html>");
        return html.ToString();
    }

    /// <summary>A page outside a session (refused or ended link): no navigation, no customer data.</summary>
    public static string Standalone(string title, string message, string? link = null, string linkLabel = "Continue to your billing portal", bool refresh = false)
    {
        var html = new StringBuilder(1024);
        Head(html, title, null, refresh ? link : null);
        html.Append("<main id=\"main\" class=\"wrap standalone\"><h1>").Append(E(title)).Append("</h1><p>").Append(E(message)).Append("</p>");
        if (link is not null)
        {
            html.Append("<p><a class=\"button\" href=\"").Append(E(link)).Append("\">").Append(E(linkLabel)).Append("</a></p>");
        }
        return html.Append("</main></body></html>").ToString();
    }

    public static async Task WriteAsync(HttpContext http, int status, string html)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }

    private static void Head(StringBuilder html, string title, string? tenant, string? refreshTo = null)
    {
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (refreshTo is not null)
        {
            // A same-site navigation after the cross-site arrival, so the SameSite=Strict cookie is sent.
            html.Append("<meta http-equiv=\"refresh\" content=\"0;url=").Append(E(refreshTo)).Append("\">");
        }
        // An icon of our own: otherwise the browser asks for /favicon.ico, outside the portal, and logs the refusal.
        html.Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"icon\" href=\"").Append(PortalRoutes.Assets).Append("/favicon.svg\" type=\"image/svg+xml\">")
            .Append("<link rel=\"stylesheet\" href=\"").Append(PortalRoutes.Assets).Append("/portal.css\">");
        if (tenant is not null)
        {
            html.Append("<link rel=\"stylesheet\" href=\"").Append(PortalRoutes.BrandCss).Append("\">")
                .Append("<script src=\"").Append(PortalRoutes.Assets).Append("/portal.js\" defer></script>");
        }
        html.Append("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a>");
    }
}
