namespace Platform.Silo.Hosting;

/// <summary>The roles this silo took at start-up, for its own services to consult.</summary>
public sealed record SiloIdentity(IReadOnlySet<string> Roles)
{
    public bool IsPci => Roles.Contains(SiloRoles.Pci);
}
