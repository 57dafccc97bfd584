using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Api.Portal;

/// <summary>
/// ASP.NET Core's data-protection key ring kept in <see cref="IPortalKeyRingGrain"/>, shared by every API host.
/// <see cref="IXmlRepository"/> is synchronous by contract; the key manager calls it only when it loads or
/// rolls the ring (at start and about daily), never per request, so the bounded wait here is off the hot path.
/// </summary>
public sealed class PortalXmlRepository(IClusterClient cluster) : IXmlRepository
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IPortalKeyRingGrain Ring => cluster.GetGrain<IPortalKeyRingGrain>(IPortalKeyRingGrain.Key);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Ring.ListAsync().WaitAsync(Timeout).GetAwaiter().GetResult().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        Ring.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).WaitAsync(Timeout).GetAwaiter().GetResult();
}
