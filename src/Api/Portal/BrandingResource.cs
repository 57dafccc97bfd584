using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Api.Portal;

public sealed record BrandingResource(string Tenant, string? DisplayName, string AccentColor, long? Updated)
{
    [JsonPropertyOrder(-1)]
    public string Object => "tenant.branding";

    public static BrandingResource From(string tenantId, TenantBranding? b) =>
        new(tenantId, b?.DisplayName, b?.AccentColor ?? PortalBranding.DefaultAccent, b?.Updated.ToUnixTimeSeconds());
}
