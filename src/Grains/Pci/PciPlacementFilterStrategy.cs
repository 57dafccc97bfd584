using Orleans.Metadata;
using Orleans.Placement;

namespace Platform.Grains.Pci;

/// <summary>
/// Keeps only silos whose metadata has <see cref="MetadataKey"/> = <see cref="MetadataValue"/>. Unlike
/// Orleans' RequiredMatchSiloMetadataPlacementFilter, which compares with the calling silo's value, this
/// names the required value, so a call from a core silo still lands on a pci silo. Key and value travel
/// as grain properties (visible in the cluster manifest); Orleans registers strategies by type name, so
/// this name must stay unique.
/// </summary>
public sealed class PciPlacementFilterStrategy : PlacementFilterStrategy
{
    /// <summary>Equal to the silo host's <c>SiloRoles.MetadataPrefix + SiloRoles.Pci</c> (a unit test holds them together).</summary>
    public const string MetadataKey = "role.pci";
    public const string MetadataValue = "true";

    private const string KeyProperty = "metadata-key";
    private const string ValueProperty = "metadata-value";

    public PciPlacementFilterStrategy()
        : base(order: 0)
    {
    }

    public string RequiredKey { get; private set; } = MetadataKey;

    public string RequiredValue { get; private set; } = MetadataValue;

    public override void AdditionalInitialize(GrainProperties properties)
    {
        RequiredKey = GetPlacementFilterGrainProperty(KeyProperty, properties)
            ?? throw new ArgumentException($"The grain properties lack the PCI filter's {KeyProperty}.", nameof(properties));
        RequiredValue = GetPlacementFilterGrainProperty(ValueProperty, properties)
            ?? throw new ArgumentException($"The grain properties lack the PCI filter's {ValueProperty}.", nameof(properties));
    }

    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(
        IServiceProvider services, Type grainClass, GrainType grainType, IReadOnlyDictionary<string, string> existingProperties)
    {
        yield return new KeyValuePair<string, string>(KeyProperty, RequiredKey);
        yield return new KeyValuePair<string, string>(ValueProperty, RequiredValue);
    }
}
