using Platform.Grains.Interfaces.Portal;

namespace Platform.Grains.Portal;

[GenerateSerializer, Alias("platform.tenant_branding_state")]
public sealed class TenantBrandingState
{
    [Id(0)] public TenantBranding? Branding { get; set; }
}
