using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using Platform.Grains.Interfaces.Placement;

namespace Platform.Silo.Placement;

/// <summary>
/// Decides where a [Pci] or [CoreOnly] grain may go: only silos whose published metadata carries the
/// strategy's key and value (<c>role.pci=true</c>, <c>role.core=true</c>). A silo whose metadata is not
/// known yet counts as lacking the role: placement errs towards failing, never towards the wrong silo.
/// </summary>
public sealed class RolePlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var role = filterStrategy as RolePlacementFilterStrategy
            ?? throw new ArgumentException($"Expected a {nameof(RolePlacementFilterStrategy)}.", nameof(filterStrategy));
        return silos.Where(silo =>
            metadata.GetSiloMetadata(silo).Metadata.TryGetValue(role.RequiredKey, out var value) && value == role.RequiredValue);
    }
}
