using System.Reflection;
using System.Xml.Linq;
using Platform.Api.Hosting;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Pci;
using Platform.Silo.Hosting;

namespace Platform.Architecture.Tests;

/// <summary>
/// The PCI boundary as build-breaking rules (docs/PCI.md). Stripe.net may be used only by types in
/// namespace Platform.Grains.Pci of Platform.Grains, and every grain class that uses it carries [Pci].
/// Platform.StripeFake is deliberately not checked: it is a test double that imitates Stripe, runs in
/// development and tests only, and uses Stripe.net just for the API version it must speak.
/// </summary>
public sealed class PciBoundaryTests
{
    private const string PciNamespace = "Platform.Grains.Pci";
    private const string OutboundNamespace = "Platform.Grains.Pci.Outbound";

    private static readonly Assembly Api = typeof(ApiHost).Assembly;
    private static readonly Assembly Contracts = typeof(PlatformException).Assembly;
    private static readonly Assembly Grains = typeof(PciAttribute).Assembly;
    private static readonly Assembly Silo = typeof(SiloHost).Assembly;

    public static TheoryData<string> StripeFreeAssemblies => new() { Api.Location, Contracts.Location, Silo.Location };

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
    public void ApiAndContracts_DoNotReachStripeThroughTheirReferences()
    {
        // Api → Grains.Interfaces only; neither may depend on Platform.Grains (which holds Stripe.net) or the fake.
        foreach (var assembly in new[] { Api, Contracts })
        {
            var closure = PlatformClosure(assembly);
            Assert.DoesNotContain(Grains.GetName().Name!, closure);
            Assert.DoesNotContain("Platform.StripeFake", closure);
            Assert.DoesNotContain(DependencyScanner.StripeAssembly, assembly.GetReferencedAssemblies().Select(a => a.Name));
        }
    }

    [Theory]
    [InlineData("src/Api/Api.csproj")]
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
    }

    [Fact]
    public void GrainsOutsideThePciNamespace_DoNotUseStripe()
    {
        using var scanner = new DependencyScanner(Grains.Location);

        var outside = scanner.Scan().Where(p => !InPci(p.Key)).ToDictionary(p => p.Key, p => p.Value);

        Assert.True(outside.Count == 0, Describe($"Types outside {PciNamespace} use Stripe.net", outside));
    }

    [Fact]
    public void GrainClassesThatUseStripe_CarryThePciLabel()
    {
        using var scanner = new DependencyScanner(Grains.Location);
        var users = scanner.Scan();

        var unlabelled = GrainClasses()
            .Where(t => users.ContainsKey(t.FullName!) && t.GetCustomAttribute<PciAttribute>() is null)
            .Select(t => t.FullName!)
            .ToList();

        Assert.True(unlabelled.Count == 0, "Grain classes use Stripe.net without [Pci]: " + string.Join(", ", unlabelled));
    }

    [Fact]
    public void GrainClassesInThePciNamespace_CarryThePciLabel()
    {
        var unlabelled = GrainClasses()
            .Where(t => InPci(t.FullName!) && t.GetCustomAttribute<PciAttribute>() is null)
            .Select(t => t.FullName!)
            .ToList();

        Assert.True(unlabelled.Count == 0, $"Grain classes in {PciNamespace} lack [Pci]: " + string.Join(", ", unlabelled));
    }

    [Fact]
    public void StripeWrapper_IsUsedOnlyInsideThePciNamespace()
    {
        // The Outbound types hold the Stripe client; reaching them from outside would be Stripe by proxy.
        var outside = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var assembly in new[] { Grains, Silo, Api })
        {
            using var scanner = new DependencyScanner(assembly.Location,
                (name, ns) => name == Grains.GetName().Name && (ns == OutboundNamespace || ns.StartsWith(OutboundNamespace + ".", StringComparison.Ordinal)));
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
        using var scanner = new DependencyScanner(Grains.Location);

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
    }

    private static bool InPci(string typeName) => typeName.StartsWith(PciNamespace + ".", StringComparison.Ordinal);

    private static IEnumerable<Type> GrainClasses() =>
        Grains.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrain).IsAssignableFrom(t));

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
