using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Grains.Portal;

/// <summary>
/// The API hosts' data-protection key ring. The elements hold the cookie keys in the clear (ASP.NET Core's
/// XML), so they are sealed with the platform's data key at rest; without one, nothing is stored.
/// </summary>
public sealed class PortalKeyRingGrain(
    [PersistentState(PortalKeyRingGrain.StateName, PlatformStorage.Name)] IPersistentState<PortalKeyRingState> ring,
    FieldProtector protector) : Grain, IPortalKeyRingGrain
{
    public const string StateName = "portal_key_ring";

    private const string Purpose = "portal_key_ring";

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>(ring.State.Elements.Values.Select(e => protector.Unprotect(e, Purpose)).ToList());

    public async Task StoreAsync(string friendlyName, string xml)
    {
        if (!protector.CanProtect)
        {
            throw new PlatformException(PlatformErrorKind.Unavailable, "service_unavailable",
                "No data key is configured, so the portal's key ring cannot be stored.");
        }
        ring.State.Elements[friendlyName] = protector.Protect(xml, Purpose);
        await ring.WriteStateAsync();
    }
}
