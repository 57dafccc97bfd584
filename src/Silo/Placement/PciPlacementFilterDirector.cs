using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using Platform.Grains.Pci;

namespace Platform.Silo.Placement;

/// <summary>
/// Decides where a [Pci] grain may go: only silos whose published metadata carries the strategy's key and
/// value (<c>role.pci=true</c>). A silo whose metadata is not known yet counts as not pci: placement
/// errs towards failing, never towards a core silo.
/// </summary>
public sealed class PciPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var pci = filterStrategy as PciPlacementFilterStrategy
            ?? throw new ArgumentException($"Expected a {nameof(PciPlacementFilterStrategy)}.", nameof(filterStrategy));
        return silos.Where(silo =>
            metadata.GetSiloMetadata(silo).Metadata.TryGetValue(pci.RequiredKey, out var value) && value == pci.RequiredValue);
    }
}
