namespace Platform.Silo.Hosting;

/// <summary>
/// The roles a silo takes (<c>Silo:Roles</c>). They are published as silo metadata
/// (<c>role.core</c>, <c>role.pci</c> = "true") so placement can tell silos apart cluster-wide.
/// </summary>
public static class SiloRoles
{
    public const string Core = "core";
    public const string Pci = "pci";
    public const string MetadataPrefix = "role.";
    public const string Default = Core + "," + Pci;

    public static IReadOnlySet<string> Parse(string? value)
    {
        var roles = (string.IsNullOrWhiteSpace(value) ? Default : value)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var unknown = roles.Except([Core, Pci]).ToArray();
        if (unknown.Length > 0 || roles.Count == 0)
        {
            throw new InvalidOperationException(
                $"Silo:Roles must name '{Core}', '{Pci}' or both; got '{value}'.");
        }
        return roles;
    }

    public static Dictionary<string, string> ToMetadata(IReadOnlySet<string> roles)
    {
        var metadata = roles.ToDictionary(r => MetadataPrefix + r, _ => "true", StringComparer.Ordinal);
        metadata["roles"] = string.Join(',', roles.Order(StringComparer.Ordinal));
        return metadata;
    }
}
