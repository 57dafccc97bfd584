using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Api.Portal;

/// <summary>
/// The portal's pieces in the API host: ASP.NET Core's cookie scheme (the ticket sealed by data protection,
/// whose key ring every host shares through a grain), antiforgery for its forms, and the live usage hub.
/// </summary>
public static class PortalServiceCollectionExtensions
{
    public const string CookieName = "platform_portal";
    public const string AntiforgeryCookieName = "platform_portal_csrf";
    public const string AntiforgeryField = "__csrf";

    public static WebApplicationBuilder AddPlatformPortal(this WebApplicationBuilder builder, AuthenticationBuilder authentication)
    {
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.AddDataProtection().SetApplicationName("platform-portal");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IClusterClient>((o, cluster) => o.XmlRepository = new PortalXmlRepository(cluster));
        authentication.AddCookie(PortalClaims.Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = PortalRoutes.Root;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.ExpireTimeSpan = PortalSessionRules.Lifetime;
            o.SlidingExpiration = false;
            o.Events = new CookieAuthenticationEvents
            {
                // The grain is the authority: an expired or unknown session ends here even with a valid cookie.
                OnValidatePrincipal = async context =>
                {
                    var sessionId = context.Principal?.FindFirst(PortalClaims.SessionId)?.Value;
                    var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
                    if (sessionId is null || !await grains.GetGrain<IPortalSessionGrain>(sessionId).IsLiveAsync())
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(PortalClaims.Scheme);
                    }
                },
                OnRedirectToLogin = context => PortalPages.WriteEndedAsync(context.HttpContext),
                OnRedirectToAccessDenied = context => PortalPages.WriteEndedAsync(context.HttpContext),
            };
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.Path = PortalRoutes.Root;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Antiforgery throws on a plain-HTTP request when its cookie is Always-secure, and behind a TLS-terminating
            // ingress the request reaches us as HTTP unless forwarded headers say otherwise. The token cookie alone
            // is worthless (it pairs with the Secure session cookie above), so it follows the request's scheme.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = AntiforgeryField;
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddSingleton<PortalUsageHub>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PortalUsageHub>());
        return builder;
    }

    public static Microsoft.AspNetCore.Authorization.AuthorizationBuilder AddPortalPolicy(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder) =>
        builder.AddPolicy(PortalClaims.Policy, p => p.AddAuthenticationSchemes(PortalClaims.Scheme)
            .RequireClaim(Auth.PlatformClaims.Caller, PortalClaims.CallerPortal));
}
