using Orleans.Placement;

namespace Platform.Grains.Interfaces.Pci;

/// <summary>
/// The PCI label. A grain class that carries it may hold Stripe.net and Stripe secrets, and is placed
/// only on silos whose metadata says <c>role.pci=true</c>: the attribute is an Orleans placement filter
/// (<see cref="PciPlacementFilterStrategy"/>; its director is registered on every silo by the silo host).
/// With no such silo, activation fails ("No active nodes are compatible"); it never falls back.
/// Architecture tests require this label on every grain class that touches Stripe.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PciAttribute() : PlacementFilterAttribute(new PciPlacementFilterStrategy());
