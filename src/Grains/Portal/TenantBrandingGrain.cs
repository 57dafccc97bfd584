using Platform.Grains.Common;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Grains.Portal;

/// <summary>A tenant's portal branding; the API validates the colour and name before it gets here.</summary>
public sealed class TenantBrandingGrain(
    [PersistentState(TenantBrandingGrain.StateName, PlatformStorage.Name)] IPersistentState<TenantBrandingState> state,
    TimeProvider clock) : Grain, ITenantBrandingGrain
{
    public const string StateName = "tenant_branding";

    public async Task<TenantBranding> SetAsync(TenantBranding branding)
    {
        state.State.Branding = branding with { Updated = clock.GetUtcNow() };
        await state.WriteStateAsync();
        return state.State.Branding;
    }

    public Task<TenantBranding?> GetAsync() => Task.FromResult(state.State.Branding);
}
