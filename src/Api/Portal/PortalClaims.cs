using System.Security.Claims;
using Platform.Api.Auth;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Portal;

/// <summary>
/// The portal cookie's principal. Its caller kind is <see cref="CallerPortal"/>, which no <c>/v1</c> policy
/// accepts, and the cookie scheme is named only by the portal's policy: the cookie opens the portal alone.
/// </summary>
public static class PortalClaims
{
    public const string Scheme = "portal_cookie";
    public const string Policy = "portal_customer";
    public const string CallerPortal = "portal";
    public const string SessionId = "platform:portal_session";
    public const string ReturnUrl = "platform:portal_return_url";

    public static ClaimsPrincipal Principal(string sessionId, string tenantId, string customerId, string returnUrl) => new(new ClaimsIdentity(
        [
            new Claim(PlatformClaims.Caller, CallerPortal),
            new Claim(PlatformClaims.TenantId, tenantId),
            new Claim(PlatformClaims.CustomerId, customerId),
            new Claim(PlatformClaims.CredentialId, sessionId),
            new Claim(SessionId, sessionId),
            new Claim(ReturnUrl, returnUrl),
        ], Scheme, PlatformClaims.CustomerId, null));

    /// <summary>The portal's customer, from the cookie only: no route takes a customer id from the request.</summary>
    public static PortalCustomer Customer(ClaimsPrincipal user)
    {
        var tenantId = user.FindFirstValue(PlatformClaims.TenantId);
        var customerId = user.FindFirstValue(PlatformClaims.CustomerId);
        var sessionId = user.FindFirstValue(SessionId);
        if (user.FindFirstValue(PlatformClaims.Caller) != CallerPortal || tenantId is null || customerId is null || sessionId is null)
        {
            throw new InvalidOperationException("The route's policy must require the portal cookie.");
        }
        return new PortalCustomer(tenantId, customerId, sessionId, PlatformIds.CustomerKey(tenantId, customerId));
    }
}
