using System.Reflection;
using System.Xml.Linq;
using Platform.Api.Hosting;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Interfaces.Placement;
using Platform.Grains.Pci;
using Platform.Silo.Hosting;

namespace Platform.Architecture.Tests;

/// <summary>
/// The PCI boundary as build-breaking rules over the built assemblies (docs/PCI.md). The compiler holds
/// most of it already: Platform.Grains.Pci is the only project with Stripe.net and it references
/// Grains.Interfaces alone, so a Stripe type in core or a core type in PCI code does not compile. These
/// tests hold the project graph to that shape and check what the compiler cannot: the PCI label on
/// exactly the PCI assembly's grain classes. Platform.StripeFake is deliberately not checked: it is a test
/// double that imitates Stripe, runs in development and tests only, and uses Stripe.net just for the API
/// version it must speak.
/// </summary>
public sealed class PciBoundaryTests
{
    private const string PciNamespace = "Platform.Grains.Pci";
    private const string OutboundNamespace = "Platform.Grains.Pci.Outbound";

    private static readonly Assembly Api = typeof(ApiHost).Assembly;
    private static readonly Assembly Contracts = typeof(PlatformException).Assembly;
    private static readonly Assembly Grains = typeof(PlatformStorage).Assembly;
    private static readonly Assembly Pci = typeof(PciServiceCollectionExtensions).Assembly;
    private static readonly Assembly Silo = typeof(SiloHost).Assembly;

    public static TheoryData<string> StripeFreeAssemblies => new() { Api.Location, Contracts.Location, Grains.Location, Silo.Location };

    [Theory]
    [MemberData(nameof(StripeFreeAssemblies))]
    public void StripeFreeAssembly_NeitherReferencesNorUsesStripe(string path)
    {
        using var scanner = new DependencyScanner(path);

        var uses = scanner.Scan();

        Assert.False(scanner.ReferencesStripeAssembly, $"{Path.GetFileName(path)} references {DependencyScanner.StripeAssembly}.");
        Assert.True(uses.Count == 0, Describe($"{Path.GetFileName(path)} uses Stripe.net", uses));
    }

    [Fact]
    public void CoreAssemblies_DoNotReachStripeOrThePciSide()
    {
        // Api → Grains.Interfaces; Grains → Grains.Interfaces: neither may reach Stripe.net, Platform.Grains.Pci or the fake.
        foreach (var assembly in new[] { Api, Contracts, Grains })
        {
            var closure = PlatformClosure(assembly);
            Assert.DoesNotContain(Pci.GetName().Name!, closure);
            Assert.DoesNotContain("Platform.StripeFake", closure);
            Assert.DoesNotContain(DependencyScanner.StripeAssembly, ReferencedNames(assembly));
            Assert.DoesNotContain(Pci.GetName().Name!, ReferencedNames(assembly));
        }
        Assert.DoesNotContain(Grains.GetName().Name!, PlatformClosure(Api));
    }

    [Fact]
    public void PciAssembly_ReferencesContractsButNoCoreGrains()
    {
        var closure = PlatformClosure(Pci);

        Assert.Equal([Contracts.GetName().Name!], closure.Order(StringComparer.Ordinal));
        Assert.Contains(DependencyScanner.StripeAssembly, ReferencedNames(Pci));
    }

    [Fact]
    public void TypesCarryingThePciLabel_AreAllInThePciAssembly()
    {
        var labelled = new[] { Api, Contracts, Grains, Silo, Pci }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetCustomAttribute<PciAttribute>() is not null)
            .ToList();

        Assert.NotEmpty(labelled);
        Assert.All(labelled, t => Assert.True(t.Assembly == Pci, $"{t.FullName} carries [Pci] outside {Pci.GetName().Name}"));
    }

    [Fact]
    public void CoreGrains_CarryNoPciLabelAndPciGrainsNoCoreLabel()
    {
        var pciGrains = GrainClasses(Pci).ToList();

        Assert.All(pciGrains, t => Assert.Null(t.GetCustomAttribute<CoreOnlyAttribute>()));
        Assert.Empty(PciGrainClasses.Among(GrainClasses(Grains)));
    }

    [Theory]
    [InlineData("src/Api/Api.csproj")]
    [InlineData("src/Grains/Grains.csproj")]
    [InlineData("src/Grains.Interfaces/Grains.Interfaces.csproj")]
    [InlineData("src/Silo/Silo.csproj")]
    public void StripeFreeProject_HasNoStripePackageOrFakeReference(string project)
    {
        var document = XDocument.Load(Path.Combine(RepositoryRoot(), project));

        var references = document.Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "Reference")
            .Select(e => (string?)e.Attribute("Include") ?? "")
            .ToList();

        Assert.DoesNotContain(references, r => r.Contains("Stripe", StringComparison.OrdinalIgnoreCase));
        if (project is not "src/Silo/Silo.csproj")
        {
            // Only the host references the PCI project; it hosts both sides.
            Assert.DoesNotContain(references, r => r.Contains("Grains.Pci", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void PciProject_ReferencesOnlyTheContractsProject()
    {
        var document = XDocument.Load(Path.Combine(RepositoryRoot(), "src/Grains.Pci/Grains.Pci.csproj"));

        var projects = document.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileName(((string?)e.Attribute("Include") ?? "").Replace('\\', '/'))).ToList();

        Assert.Equal(["Grains.Interfaces.csproj"], projects);
    }

    [Fact]
    public void PciAssembly_KeepsToItsNamespace()
    {
        var outside = Pci.GetTypes().Where(t => t.Namespace is not null && !InPci(t.FullName!) && t.Namespace != PciNamespace
            && !t.Namespace.StartsWith("Orleans", StringComparison.Ordinal)).Select(t => t.FullName!).ToList();

        Assert.True(outside.Count == 0, $"Types of {Pci.GetName().Name} outside {PciNamespace}: " + string.Join(", ", outside));
    }

    [Fact]
    public void GrainClassesThatUseStripe_CarryThePciLabel()
    {
        using var scanner = new DependencyScanner(Pci.Location);
        var users = scanner.Scan();

        var unlabelled = GrainClasses(Pci)
            .Where(t => users.ContainsKey(t.FullName!) && t.GetCustomAttribute<PciAttribute>() is null)
            .Select(t => t.FullName!)
            .ToList();

        Assert.True(unlabelled.Count == 0, "Grain classes use Stripe.net without [Pci]: " + string.Join(", ", unlabelled));
    }

    [Fact]
    public void GrainClassesInThePciAssembly_CarryThePciLabel()
    {
        var grainClasses = GrainClasses(Pci).ToList();
        var unlabelled = grainClasses
            .Where(t => t.GetCustomAttribute<PciAttribute>() is null)
            .Select(t => t.FullName!)
            .ToList();

        Assert.NotEmpty(grainClasses);
        Assert.True(unlabelled.Count == 0, $"Grain classes in {Pci.GetName().Name} lack [Pci]: " + string.Join(", ", unlabelled));
    }

    [Fact]
    public void StripeWrapper_IsUsedOnlyInsideThePciNamespace()
    {
        // The Outbound types hold the Stripe client; reaching them from outside would be Stripe by proxy.
        var outside = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var assembly in new[] { Grains, Silo, Api })
        {
            using var scanner = new DependencyScanner(assembly.Location,
                (name, ns) => name == Pci.GetName().Name && (ns == OutboundNamespace || ns.StartsWith(OutboundNamespace + ".", StringComparison.Ordinal)));
            foreach (var (type, uses) in scanner.Scan().Where(p => !InPci(p.Key)))
            {
                outside[type] = uses;
            }
        }

        Assert.True(outside.Count == 0, Describe($"Types outside {PciNamespace} use {OutboundNamespace}", outside));
    }

    [Fact]
    public void Scanner_SeesTheStripeUseThatExists()
    {
        // Guards the rules above against a scanner that finds nothing: the PCI grains do use Stripe.
        using var scanner = new DependencyScanner(Pci.Location);

        var uses = scanner.Scan();

        Assert.Contains("Platform.Grains.Pci.Payments.PaymentIntentGrain", uses.Keys);
        Assert.Contains("Platform.Grains.Pci.PaymentMethods.PaymentMethodsGrain", uses.Keys);
        Assert.Contains(uses["Platform.Grains.Pci.Payments.PaymentIntentGrain"], u => u.Contains(": IL ", StringComparison.Ordinal));
    }

    [Fact]
    public void PciPlacementKey_IsTheMetadataKeyTheSiloPublishes()
    {
        var metadata = SiloRoles.ToMetadata(SiloRoles.Parse(SiloRoles.Pci));

        Assert.Equal(PciPlacementFilterStrategy.MetadataValue, metadata[PciPlacementFilterStrategy.MetadataKey]);
        Assert.False(SiloRoles.ToMetadata(SiloRoles.Parse(SiloRoles.Core)).ContainsKey(PciPlacementFilterStrategy.MetadataKey));
        var core = SiloRoles.ToMetadata(SiloRoles.Parse(SiloRoles.Core));
        Assert.Equal(CorePlacementFilterStrategy.MetadataValue, core[CorePlacementFilterStrategy.MetadataKey]);
        Assert.False(metadata.ContainsKey(CorePlacementFilterStrategy.MetadataKey));
    }

    private static bool InPci(string typeName) => typeName.StartsWith(PciNamespace + ".", StringComparison.Ordinal);

    private static IEnumerable<string?> ReferencedNames(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name);

    private static IEnumerable<Type> GrainClasses(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrain).IsAssignableFrom(t));

    private static HashSet<string> PlatformClosure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>(root.GetReferencedAssemblies());
        while (pending.TryPop(out var name))
        {
            if (name.Name is not { } simple || !simple.StartsWith("Platform.", StringComparison.Ordinal) || !seen.Add(simple))
            {
                continue;
            }
            foreach (var reference in Assembly.Load(name).GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }
        return seen;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test output.");
    }

    private static string Describe(string headline, IReadOnlyDictionary<string, IReadOnlyList<string>> uses) =>
        headline + ":" + Environment.NewLine + string.Join(Environment.NewLine,
            uses.SelectMany(p => p.Value.Take(5).Select(u => "  " + u)));
}
