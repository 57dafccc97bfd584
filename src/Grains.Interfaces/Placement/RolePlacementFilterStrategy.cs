using Orleans.Metadata;
using Orleans.Placement;

namespace Platform.Grains.Interfaces.Placement;

/// <summary>
/// Keeps only silos whose metadata has a required key = value (a silo role such as <c>role.pci=true</c>).
/// Unlike Orleans' RequiredMatchSiloMetadataPlacementFilter, which compares with the calling silo's value,
/// this names the required value, so a call from a core silo still lands on a pci silo and the other way
/// round. Key and value travel as grain properties (visible in the cluster manifest); Orleans registers
/// strategies by type name, so each subclass's name must stay unique.
/// </summary>
public abstract class RolePlacementFilterStrategy : PlacementFilterStrategy
{
    private const string KeyProperty = "metadata-key";
    private const string ValueProperty = "metadata-value";

    protected RolePlacementFilterStrategy(string requiredKey, string requiredValue)
        : base(order: 0)
    {
        RequiredKey = requiredKey;
        RequiredValue = requiredValue;
    }

    public string RequiredKey { get; private set; }

    public string RequiredValue { get; private set; }

    public override void AdditionalInitialize(GrainProperties properties)
    {
        RequiredKey = GetPlacementFilterGrainProperty(KeyProperty, properties)
            ?? throw new ArgumentException($"The grain properties lack the role filter's {KeyProperty}.", nameof(properties));
        RequiredValue = GetPlacementFilterGrainProperty(ValueProperty, properties)
            ?? throw new ArgumentException($"The grain properties lack the role filter's {ValueProperty}.", nameof(properties));
    }

    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(
        IServiceProvider services, Type grainClass, GrainType grainType, IReadOnlyDictionary<string, string> existingProperties)
    {
        yield return new KeyValuePair<string, string>(KeyProperty, RequiredKey);
        yield return new KeyValuePair<string, string>(ValueProperty, RequiredValue);
    }
}
