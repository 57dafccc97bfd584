namespace Platform.Grains.Interfaces.Portal;

/// <summary>
/// The API hosts' shared ASP.NET Core data-protection key ring (it protects the portal's cookies and
/// antiforgery tokens), keyed <see cref="Key"/>, so a cookie issued by one host is read by every other.
/// Elements are stored sealed with the platform's data key.
/// </summary>
[Alias("platform.portal_key_ring")]
public interface IPortalKeyRingGrain : IGrainWithStringKey
{
    public const string Key = "portal";

    [Alias("list")]
    Task<IReadOnlyList<string>> ListAsync();

    /// <summary>Adds (or replaces) one key element by its friendly name.</summary>
    [Alias("store")]
    Task StoreAsync(string friendlyName, string xml);
}
