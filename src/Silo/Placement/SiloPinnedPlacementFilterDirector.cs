using Orleans.Placement;
using Orleans.Runtime.Placement;
using Platform.Grains.Compliance;

namespace Platform.Silo.Placement;

/// <summary>Keeps the one silo whose parsable address is the grain's key (see <see cref="SiloPinnedPlacementFilterStrategy"/>).</summary>
public sealed class SiloPinnedPlacementFilterDirector : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var key = target.GrainIdentity.Key.ToString();
        return silos.Where(silo => silo.ToParsableString() == key);
    }
}
