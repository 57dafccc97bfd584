namespace Platform.Grains.Interfaces.Placement;

/// <summary>Keeps only silos with the core role (<c>role.core=true</c>); see <see cref="CoreOnlyAttribute"/>.</summary>
public sealed class CorePlacementFilterStrategy() : RolePlacementFilterStrategy(MetadataKey, MetadataValue)
{
    /// <summary>Equal to the silo host's <c>SiloRoles.MetadataPrefix + SiloRoles.Core</c> (an architecture test holds them together).</summary>
    public const string MetadataKey = "role.core";
    public const string MetadataValue = "true";
}
