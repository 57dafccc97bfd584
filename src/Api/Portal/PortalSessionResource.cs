using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Api.Portal;

/// <summary>Stripe's <c>billing_portal.session</c>: the url opens the portal once, within five minutes.</summary>
public sealed record PortalSessionResource(string Id, string Url, string ReturnUrl, long ExpiresAt, long Created, string Customer)
{
    [JsonPropertyOrder(-1)]
    public string Object => "billing_portal.session";

    public static PortalSessionResource From(PortalSessionSnapshot s, string url) =>
        new(s.Id, url, s.ReturnUrl, s.ExpiresAt.ToUnixTimeSeconds(), s.Created.ToUnixTimeSeconds(), s.CustomerId);
}
