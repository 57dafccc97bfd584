using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Platform.Bench.Chaos;

/// <summary>
/// The platform as real processes on 127.0.0.1, wired like run.sh: the Stripe fake, two core silos, one pci
/// silo (the only one with the fake's keys and webhook secret), two API hosts (no Stripe secret, no data key).
/// </summary>
public sealed class Stack : IAsyncDisposable
{
    private readonly List<ManagedProcess> _all = [];

    public Stack(string root, string configuration, string work, string connectionString)
    {
        string Bin(string project) => Path.Combine(root, "src", project, "bin", configuration, "net10.0");
        AdminToken = "adm_chaos_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        StripeKey = "sk_test_fake_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var webhookSecret = "whsec_fake_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var fakePort = FreePort.Next();
        StripeFakeUrl = new Uri($"http://127.0.0.1:{fakePort}");
        WebhookSecret = webhookSecret;

        // Staging: production settings, but the Stripe fake's test-mode keys (Production insists on live keys).
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Platform"] = connectionString,
            ["Orleans__ClusterId"] = "chaos",
            ["Orleans__ServiceId"] = "chaos",
            ["DOTNET_ENVIRONMENT"] = "Staging",
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Information",
        };
        StripeFake = new ManagedProcess("stripe-fake", Bin("StripeFake"), "dotnet", ["Platform.StripeFake.dll", "--urls", StripeFakeUrl.ToString()],
            new Dictionary<string, string>(common) { ["StripeFake__ApiKey"] = StripeKey, ["StripeFake__WebhookSecret"] = webhookSecret },
            Path.Combine(work, "stripe-fake.log"), new Uri(StripeFakeUrl, "/v1/customers"), anyAnswerIsReady: true);
        _all.Add(StripeFake);

        var dataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        ManagedProcess Silo(string name, string roles, bool pci)
        {
            var http = FreePort.Next();
            var environment = new Dictionary<string, string>(common)
            {
                ["Silo__Roles"] = roles,
                ["Silo__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Silo__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Silo__HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Platform__DataKey"] = dataKey,
                ["Webhooks__AllowPrivateNetworks"] = "true",
            };
            if (pci)
            {
                environment["Stripe__ApiBase"] = StripeFakeUrl.ToString().TrimEnd('/');
                environment["Stripe__SecretKey"] = StripeKey;
                environment["Stripe__PublishableKey"] = "pk_test_fake_chaos";
                environment["Stripe__WebhookSecret"] = webhookSecret;
            }
            var silo = new ManagedProcess(name, Bin("Silo"), "dotnet", ["Platform.Silo.dll"], environment,
                Path.Combine(work, name + ".log"), new Uri($"http://127.0.0.1:{http}/health/ready"));
            _all.Add(silo);
            return silo;
        }
        CoreSilos = [Silo("silo-core-1", "core", false), Silo("silo-core-2", "core", false)];
        PciSilo = Silo("silo-pci", "pci", true);

        using var licenseSigner = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var licenseKey = licenseSigner.ExportPkcs8PrivateKeyPem();
        ManagedProcess Api(string name)
        {
            var port = FreePort.Next();
            var environment = new Dictionary<string, string>(common)
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["Platform__AdminToken"] = AdminToken,
                // Outside Development the API refuses to start without a license signing key: a throwaway one.
                ["Licenses__SigningKeys__0__Pem"] = licenseKey,
                // Rate limiting stays on the path, with limits the run never reaches (as bench/ingest.sh).
                ["RateLimits__Usage__PermitLimit"] = "1000000000",
                ["RateLimits__Api__PermitLimit"] = "1000000000",
                ["RateLimits__Admin__PermitLimit"] = "1000000000",
                ["RateLimits__Webhook__PermitLimit"] = "1000000000",
                // Billing time per customer (docs/INVOICES.md): the invoice traffic drives period ends with test clocks.
                ["Billing__TestClocks"] = "true",
            };
            var api = new ManagedProcess(name, Bin("Api"), "dotnet", ["Platform.Api.dll"], environment,
                Path.Combine(work, name + ".log"), new Uri($"http://127.0.0.1:{port}/health/ready"));
            ApiUrls[name] = new Uri($"http://127.0.0.1:{port}");
            _all.Add(api);
            return api;
        }
        Apis = [Api("api-1"), Api("api-2")];
        // Stopped from outside (SIGTERM, Ctrl-C): no host outlives the runner.
        _signals = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT }.Select(signal => PosixSignalRegistration.Create(signal, _ => KillAll()))];
    }

    private readonly PosixSignalRegistration[] _signals;

    private void KillAll()
    {
        foreach (var process in _all)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Not started, or already gone.
            }
        }
    }

    public string AdminToken { get; }
    public string StripeKey { get; }
    public string WebhookSecret { get; }
    public Uri StripeFakeUrl { get; }
    public ManagedProcess StripeFake { get; }
    public IReadOnlyList<ManagedProcess> CoreSilos { get; }
    public ManagedProcess PciSilo { get; }
    public IReadOnlyList<ManagedProcess> Apis { get; }
    public Dictionary<string, Uri> ApiUrls { get; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await StripeFake.StartAsync(cancellationToken);
        // The first silo alone: it applies the database migrations before the others join.
        await CoreSilos[0].StartAsync(cancellationToken);
        await Task.WhenAll(CoreSilos[1].StartAsync(cancellationToken), PciSilo.StartAsync(cancellationToken));
        await Task.WhenAll(Apis.Select(a => a.StartAsync(cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }
        foreach (var process in Enumerable.Reverse(_all))
        {
            await process.StopAsync();
        }
    }
}
