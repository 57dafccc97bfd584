using System.Reflection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Portal;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Portal;

/// <summary>
/// The hosted billing portal: server-rendered pages under <c>/portal</c>, authenticated only by the portal
/// cookie, which names one customer of one tenant. No route takes a customer or tenant id from the request.
/// </summary>
public static class PortalPages
{
    private static readonly Assembly _assets = typeof(PortalPages).Assembly;

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/portal/open/{id}", Open).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(PortalRoutes.Assets + "/{file}", Asset).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(PortalReturn.Path, PortalReturn.Back).AllowAnonymous().ExcludeFromDescription();
        var portal = app.MapGroup(PortalRoutes.Root).RequireAuthorization(PortalClaims.Policy).ExcludeFromDescription();
        // The portal cookie is not the default scheme: the principal exists only after authorization, so the audit
        // actor is set here, around the handler (an AsyncLocal set inside a callee would not reach the handler).
        portal.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            Grains.Interfaces.Audit.AuditContext.Set(http.TraceIdentifier, "portal:" + PortalClaims.Customer(http.User).SessionId,
                RateLimiting.ClientAddress.Of(http));
            return next(context);
        });
        portal.MapGet("/assets/brand.css", BrandCss);
        portal.MapPost("/sign_out", SignOut);
        portal.MapPortalOverview();
        portal.MapPortalUsage();
        portal.MapPortalPlan();
        portal.MapPortalInvoices();
        portal.MapPortalPaymentMethods();
        portal.MapPortalBilling();
        // Last: any other path under /portal (any method) is the portal's own not-found page, not the API's JSON 404.
        portal.MapFallback("{**path}", NotFound);
        return app;
    }

    public static async Task Open(HttpContext http, IGrainFactory grains, string id, string? token)
    {
        if (!id.StartsWith(PortalSessionRules.SessionPrefix, StringComparison.Ordinal) || string.IsNullOrEmpty(token) || token.Length > 100)
        {
            await RefusedAsync(http, PortalOpeningStatus.Unknown);
            return;
        }
        var opening = await grains.GetGrain<IPortalSessionGrain>(id).OpenAsync(token);
        if (opening is not { Status: PortalOpeningStatus.Opened, Session: { } session, SessionEnds: { } ends })
        {
            await RefusedAsync(http, opening.Status);
            return;
        }
        await http.SignInAsync(PortalClaims.Scheme,
            PortalClaims.Principal(session.Id, session.TenantId, session.CustomerId, session.ReturnUrl),
            new AuthenticationProperties { ExpiresUtc = ends, IsPersistent = false, AllowRefresh = false });
        await PortalHtml.WriteAsync(http, 200, PortalHtml.Standalone("Opening your billing portal", "One moment…", PortalRoutes.Root, refresh: true));
    }

    /// <summary>What a request without a live portal cookie gets: a clear page, 401.</summary>
    public static Task WriteEndedAsync(HttpContext http) => PortalHtml.WriteAsync(http, 401, PortalHtml.Standalone(
        "Your billing session has ended", "Billing sessions last up to an hour. Go back to the service you came from and open billing again."));

    /// <summary>The customer's view around every page; also issues the form token.</summary>
    public static async Task<PortalView> ViewAsync(HttpContext http, IGrainFactory grains)
    {
        var customer = PortalClaims.Customer(http.User);
        var tenant = grains.GetGrain<ITenantGrain>(customer.TenantId).GetAsync();
        var branding = grains.GetGrain<ITenantBrandingGrain>(customer.TenantId).GetAsync();
        var self = grains.GetGrain<ICustomerGrain>(customer.Key).GetAsync();
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var b = await branding;
        var c = await self;
        return new PortalView(customer, b?.DisplayName ?? (await tenant)?.Name ?? "Billing", b?.AccentColor ?? PortalBranding.DefaultAccent,
            c?.Name ?? c?.Email, http.User.FindFirst(PortalClaims.ReturnUrl)?.Value, tokens.RequestToken ?? "");
    }

    /// <summary>Checks a form post's antiforgery token; false (and a 400 page written) when it fails.</summary>
    public static async Task<bool> ValidFormAsync(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            await PortalHtml.WriteAsync(http, 400, PortalHtml.Standalone("This form has expired", "Reload the page and try again."));
            return false;
        }
    }

    /// <summary>Post/redirect/get: back to a page with one of its fixed notices (never text from the request).</summary>
    public static void Done(HttpContext http, string path, string notice)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = $"{path}?done={notice}";
    }

    public static Task NotFound(HttpContext http) => PortalHtml.WriteAsync(http, 404, PortalHtml.Standalone("Page not found",
        "There is no such page in your billing portal.", PortalRoutes.Root, "Go to your billing overview"));

    private static Task RefusedAsync(HttpContext http, PortalOpeningStatus status) => status switch
    {
        PortalOpeningStatus.Expired => PortalHtml.WriteAsync(http, 410, PortalHtml.Standalone("This billing link has expired",
            "Billing links work for five minutes. Go back to the service you came from and open billing again.")),
        PortalOpeningStatus.AlreadyUsed => PortalHtml.WriteAsync(http, 410, PortalHtml.Standalone("This billing link was already used",
            "Each billing link opens once. Go back to the service you came from and open billing again.")),
        _ => PortalHtml.WriteAsync(http, 404, PortalHtml.Standalone("This billing link is not valid",
            "Go back to the service you came from and open billing again.")),
    };

    private static async Task Asset(HttpContext http, string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        using var stream = type is null || file.Contains('/') ? null : _assets.GetManifestResourceStream("Platform.Api.Portal.Assets." + file);
        if (stream is null)
        {
            await PortalHtml.WriteAsync(http, 404, PortalHtml.Standalone("Not found", "There is no such file."));
            return;
        }
        http.Response.ContentType = type;
        http.Response.Headers.CacheControl = "public, max-age=300";
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static async Task BrandCss(HttpContext http, IGrainFactory grains)
    {
        var branding = await grains.GetGrain<ITenantBrandingGrain>(PortalClaims.Customer(http.User).TenantId).GetAsync();
        // The colour was validated as #rrggbb when set, so it can stand in CSS as it is.
        var accent = PortalBranding.IsColor(branding?.AccentColor) ? branding!.AccentColor : PortalBranding.DefaultAccent;
        http.Response.ContentType = "text/css; charset=utf-8";
        http.Response.Headers.CacheControl = "private, no-store";
        await http.Response.WriteAsync($":root {{ --accent: {accent}; }}\n", http.RequestAborted);
    }

    private static async Task SignOut(HttpContext http)
    {
        if (!await ValidFormAsync(http))
        {
            return;
        }
        var returnUrl = http.User.FindFirst(PortalClaims.ReturnUrl)?.Value;
        await http.SignOutAsync(PortalClaims.Scheme);
        await PortalHtml.WriteAsync(http, 200, PortalHtml.Standalone("You are signed out", "Your billing session has ended.", returnUrl, "Back to the service you came from"));
    }
}
