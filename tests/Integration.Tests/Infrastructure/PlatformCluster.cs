using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Platform.Api.Hosting;
using Platform.Silo.Hosting;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// A real cluster in this process: silo hosts with ADO.NET clustering on the test database (real TCP
/// between silos and to gateways, free ports) and API hosts on Kestrel that find the gateways through
/// the same membership table, exactly as in production.
/// </summary>
public sealed class PlatformCluster : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly Dictionary<string, string?> _extraSettings;
    private readonly Action<IServiceCollection>? _siloServices;

    private PlatformCluster(
        string connectionString, string clusterId, string adminToken, Dictionary<string, string?> extraSettings,
        Action<IServiceCollection>? siloServices)
    {
        _connectionString = connectionString;
        ClusterId = clusterId;
        AdminToken = adminToken;
        _extraSettings = extraSettings;
        _siloServices = siloServices;
    }

    public string ClusterId { get; }

    public string AdminToken { get; }

    /// <summary>The cluster's Platform:DataKey (base64 of 32 random bytes).</summary>
    public string DataKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The HS256 secret frontend JWTs of this cluster are signed with.</summary>
    public string LicenseKeyPem { get; } = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();

    public string JwtSecret { get; } = "test-jwt-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>Every log line every host of this cluster wrote (Information and up for our own categories).</summary>
    public LogSink Logs { get; } = new();

    /// <summary>The hosting environment of the test silos (not Production, where only live Stripe keys may run).</summary>
    public const string TestEnvironment = "Test";

    public List<WebApplication> Silos { get; } = [];

    public List<WebApplication> Apis { get; } = [];

    public List<Uri> ApiUrls { get; } = [];

    /// <param name="siloSettings">Settings for one silo only, by index (e.g. Stripe keys for the pci silo alone).</param>
    public static async Task<PlatformCluster> StartAsync(
        string connectionString, int silos = 2, int apis = 1, IReadOnlyList<string>? siloRoles = null,
        Dictionary<string, string?>? settings = null, IReadOnlyList<Dictionary<string, string?>?>? siloSettings = null,
        Action<IServiceCollection>? siloServices = null)
    {
        var cluster = new PlatformCluster(connectionString, "test-" + Guid.NewGuid().ToString("N")[..8],
            "adm_test_" + Guid.NewGuid().ToString("N"), settings ?? [], siloServices);
        for (var i = 0; i < silos; i++)
        {
            await cluster.StartSiloAsync(siloRoles?[i] ?? SiloRoles.Default, siloSettings?.ElementAtOrDefault(i));
        }
        await cluster.WaitForSiloMetadataAsync();
        for (var i = 0; i < apis; i++)
        {
            await cluster.StartApiAsync();
        }
        if (siloRoles?.Any(r => SiloRoles.Parse(r).Contains(SiloRoles.Pci)) == true)
        {
            await cluster.WaitForPciGrainsAsync();
        }
        return cluster;
    }

    /// <summary>
    /// Every API host's client knows the pci silo's grain classes, so a test's first PCI call cannot race the
    /// cluster manifest on a loaded machine; names the silos' status when it never happens.
    /// </summary>
    public async Task WaitForPciGrainsAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var unresolved = Apis.Count(api =>
            {
                try
                {
                    _ = api.Services.GetRequiredService<IClusterClient>().GetGrain<Platform.Grains.Interfaces.Usage.IStripeMeterGrain>("probe");
                    return false;
                }
                catch (ArgumentException)
                {
                    return true;
                }
            });
            if (unresolved == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                var hosts = await ClusterClient.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false);
                throw new InvalidOperationException($"{unresolved} API host(s) still cannot resolve PCI grains 30 s after start; silos: "
                    + string.Join(", ", hosts.Select(h => $"{h.Key}={h.Value}")));
            }
            await Task.Delay(100);
        }
    }

    public async Task<WebApplication> StartSiloAsync(string roles, Dictionary<string, string?>? siloSettings = null)
    {
        var settings = new Dictionary<string, string?>(Common())
        {
            ["Silo:Roles"] = roles,
            ["Silo:SiloPort"] = FreePorts.Next().ToString(),
            ["Silo:GatewayPort"] = FreePorts.Next().ToString(),
            ["Silo:HttpPort"] = "0",
            ["Silo:ShutdownTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in siloSettings ?? [])
        {
            settings[key] = value;
        }
        if (SiloRoles.Parse(roles).Contains(SiloRoles.Pci) && !settings.ContainsKey("Stripe:SecretKey"))
        {
            // A pci silo refuses to start without Stripe keys. Tests that never call Stripe get keys that
            // point at a closed port: the silo starts, and any accidental Stripe call fails fast.
            settings["Stripe:SecretKey"] = "sk_test_unused";
            settings["Stripe:PublishableKey"] = "pk_test_unused";
            settings["Stripe:ApiBase"] = "http://127.0.0.1:9";
        }
        if (SiloRoles.Parse(roles).Contains(SiloRoles.Pci) && !settings.ContainsKey("Stripe:WebhookSecret"))
        {
            settings["Stripe:WebhookSecret"] = "whsec_test_unused";
        }
        // Not Production: the key-mode guard lets a pci silo use test keys only outside Production.
        var silo = SiloHost.Build(["--environment", TestEnvironment], builder =>
        {
            Configure(builder, settings, Logs);
            // Runs before the silo registers its own services, which are added only when absent.
            _siloServices?.Invoke(builder.Services);
        });
        await silo.StartAsync();
        Silos.Add(silo);
        return silo;
    }

    /// <summary>
    /// Waits until every silo knows every other silo's metadata (its roles). Orleans fetches it after a
    /// silo joins; until then the PCI placement filter treats the newcomer as not pci.
    /// </summary>
    public async Task WaitForSiloMetadataAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var addresses = Silos.Select(s => s.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress).ToArray();
            var known = Silos.All(silo =>
            {
                var cache = silo.Services.GetRequiredService<ISiloMetadataCache>();
                return addresses.All(address => cache.GetSiloMetadata(address).Metadata.ContainsKey("roles"));
            });
            if (known)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The silos did not learn each other's metadata within 20 s.");
            }
            await Task.Delay(50);
        }
    }

    public WebApplication SiloWithRole(string role) =>
        Silos.First(s => s.Services.GetRequiredService<SiloIdentity>().Roles.Contains(role));

    public static SiloAddress AddressOf(WebApplication silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <param name="configure">Runs after the test defaults (e.g. to capture logs).</param>
    public async Task<WebApplication> StartApiAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>(Common())
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Platform:AdminToken"] = AdminToken,
            ["Platform:CheckResponsesForCardData"] = "true",
            ["Jwt:Secret"] = JwtSecret,
            // Test hosts run as Production, where frontend tokens must name both.
            ["Jwt:Issuer"] = TestTokens.Issuer,
            ["Jwt:Audience"] = TestTokens.Audience,
        };
        var api = ApiHost.Build([], builder =>
        {
            Configure(builder, settings, Logs);
            configure?.Invoke(builder);
        });
        await api.StartAsync();
        Apis.Add(api);
        ApiUrls.Add(new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
        return api;
    }

    /// <summary>An HTTP client for API host <paramref name="index"/>, with a bearer credential when given.</summary>
    public HttpClient Client(string? bearer = null, int index = 0)
    {
        var client = new HttpClient { BaseAddress = ApiUrls[index], Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public HttpClient AdminClient(int index = 0) => Client(AdminToken, index);

    public IClusterClient ClusterClient => Apis[0].Services.GetRequiredService<IClusterClient>();

    /// <summary>The silo's HTTP address (health and metrics).</summary>
    public static Uri HttpAddress(WebApplication silo) =>
        new(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async Task StopSiloAsync(WebApplication silo)
    {
        Silos.Remove(silo);
        await silo.StopAsync();
        await silo.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in Apis)
        {
            await api.StopAsync();
            await api.DisposeAsync();
        }
        // Stop silos in parallel: each waits for the others to acknowledge its departure.
        await Task.WhenAll(Silos.Select(async silo =>
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }));
    }

    /// <summary>The settings every host of this cluster shares (for a silo started in another process).</summary>
    public IReadOnlyDictionary<string, string?> SharedSettings => Common();

    private Dictionary<string, string?> Common()
    {
        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Platform"] = _connectionString,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = ClusterId,
            // Quick failure detection, so a test that stops a silo does not wait the production minute.
            ["Orleans:Membership:ProbeTimeout"] = "00:00:02",
            ["Orleans:Membership:NumMissedProbesLimit"] = "2",
            ["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
            // Encryption at rest of sensitive fields (webhook secrets): one random key per cluster.
            ["Platform:DataKey"] = DataKey,
            // License signing (ES256): one throwaway P-256 key per cluster, shared by its API hosts.
            ["Licenses:SigningKeys:0:Kid"] = "test-key-1",
            ["Licenses:SigningKeys:0:Pem"] = LicenseKeyPem,
        };
        foreach (var (key, value) in _extraSettings)
        {
            common[key] = value;
        }
        return common;
    }

    private static void Configure(WebApplicationBuilder builder, Dictionary<string, string?> settings, LogSink logs)
    {
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Platform", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Information);
        builder.Logging.AddProvider(logs);
    }
}
