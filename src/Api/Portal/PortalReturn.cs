namespace Platform.Api.Portal;

/// <summary>
/// Where Stripe's Checkout sends the customer back to. The portal cookie is <c>SameSite=Strict</c>, so a browser does
/// not send it on the cross-site redirect from Stripe's page: this anonymous page answers that redirect and moves on
/// with a same-site refresh, on which the cookie is sent again (the portal's opening link works the same way). Only a
/// portal path is accepted as the destination, never another origin (no open redirect).
/// </summary>
public static class PortalReturn
{
    public const string Path = "/portal/back";

    /// <summary>The absolute URL on this host that brings the customer to <paramref name="portalPath"/> after Stripe.</summary>
    public static string Url(string origin, string portalPath) => origin + Path + "?to=" + Uri.EscapeDataString(portalPath);

    public static Task Back(HttpContext http, string? to)
    {
        if (!IsPortalPath(to))
        {
            return PortalHtml.WriteAsync(http, 400, PortalHtml.Standalone("This link is not valid",
                "Go back to the service you came from and open billing again."));
        }
        return PortalHtml.WriteAsync(http, 200, PortalHtml.Standalone("Back to your billing portal",
            "Taking you back to your billing portal.", to, refresh: true));
    }

    /// <summary>A path of the portal on this host: <c>/portal/…</c>, no scheme, host, backslash or control character.</summary>
    public static bool IsPortalPath(string? to) =>
        to is { Length: > 0 and <= 300 } && to.StartsWith(PortalRoutes.Root + "/", StringComparison.Ordinal)
        && !to.Contains("//", StringComparison.Ordinal) && !to.Contains('\\') && !to.Contains(':') && !to.Any(char.IsControl);
}
