using Orleans.Placement;

namespace Platform.Grains.Interfaces.Placement;

/// <summary>
/// Places a core grain only on silos with the core role, for work that must not run inside the PCI process
/// even when a PCI grain is its caller (a stateless worker would otherwise activate beside its caller).
/// With no core silo, activation fails; it never falls back to a pci-only silo.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CoreOnlyAttribute() : PlacementFilterAttribute(new CorePlacementFilterStrategy());
