using System.Reflection;

namespace Platform.Grains.Interfaces.Pci;

/// <summary>
/// Finds PCI grain classes by their label, among whatever grain classes a host has: core code never names
/// a type of Platform.Grains.Pci, it asks which classes carry <see cref="PciAttribute"/>.
/// </summary>
public static class PciGrainClasses
{
    public static bool IsPci(Type type) =>
        type is { IsClass: true, IsAbstract: false } && typeof(IGrain).IsAssignableFrom(type)
        && type.GetCustomAttribute<PciAttribute>() is not null;

    /// <summary>The labelled classes among <paramref name="classes"/> (a silo's <c>GrainTypeOptions.Classes</c>, say).</summary>
    public static IReadOnlyList<Type> Among(IEnumerable<Type> classes) => classes.Where(IsPci).ToArray();

    /// <summary>The labelled grain classes of every assembly loaded in this process, hostable here or not.</summary>
    public static IReadOnlyList<Type> Loaded() => AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => !a.IsDynamic)
        .SelectMany(TypesOf)
        .Where(IsPci)
        .ToArray();

    private static IEnumerable<Type> TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>();
        }
    }
}
