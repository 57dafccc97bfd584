using System.Reflection;

namespace Platform.Grains.Pci;

/// <summary>The grain classes in this assembly that carry the PCI label.</summary>
public static class PciGrainClasses
{
    public static IReadOnlyList<Type> All { get; } = typeof(PciAttribute).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrain).IsAssignableFrom(t)
            && t.GetCustomAttribute<PciAttribute>() is not null)
        .ToArray();
}
