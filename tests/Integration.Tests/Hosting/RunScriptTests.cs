using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Hosting;

/// <summary>
/// Issue 25 item 9: <c>./run.sh</c> as a developer runs it (its own PostgreSQL, silo, API and Stripe fake, on
/// free ports and a fresh data folder; without building, the test run has built): every secret it writes
/// is readable by its owner only, the start banner names where the admin token is but never the token, and
/// outgoing webhooks to this machine are refused unless asked for.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RunScriptTests
{
    private static readonly string[] _secrets =
        ["admin-token", "data-key", "pg-password", "license-signing-key.pem", "stripe-fake-secret-key", "stripe-fake-webhook-secret"];

    [Fact]
    public async Task RunScript_WritesSecretsOwnerOnly_PrintsNoToken_AndRefusesPrivateWebhookTargets()
    {
        var data = Directory.CreateTempSubdirectory("platform-run-sh-");
        // As a checkout's .data would be: its PostgreSQL runs as another user (postgres, when we are root) and must reach it.
        File.SetUnixFileMode(data.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var api = $"http://127.0.0.1:{FreePorts.Next()}";
        var output = new StringBuilder();
        using var run = Start(data.FullName, api, output);
        try
        {
            await WaitForBannerAsync(run, output);
            var token = (await File.ReadAllTextAsync(Path.Combine(data.FullName, "admin-token"))).Trim();
            using var admin = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Run script" }));
            var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant.GetProperty("id").GetString()}/api_keys", new { role = "admin" }));
            using var client = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("secret").GetString());

            using var toThisMachine = await client.PostAsJsonAsync("/v1/webhook_endpoints",
                new { url = "http://127.0.0.1:9/hook", enabled_events = new[] { "customer.created" } });

            Assert.StartsWith("adm_", token, StringComparison.Ordinal);
            var printed = output.ToString();
            Assert.DoesNotContain(token, printed, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(data.FullName, "admin-token"), printed, StringComparison.Ordinal);
            foreach (var secret in _secrets)
            {
                var mode = File.GetUnixFileMode(Path.Combine(data.FullName, secret));
                Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{secret}: {mode}");
            }
            Assert.Equal(HttpStatusCode.BadRequest, toThisMachine.StatusCode);
            Assert.Contains("loopback", await toThisMachine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(run);
            data.Delete(recursive: true);
        }
    }

    private static Process Start(string data, string api, StringBuilder output)
    {
        var root = RepositoryRoot();
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "run.sh")])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PLATFORM_SKIP_BUILD"] = "1";
        info.Environment["PLATFORM_DATA_DIR"] = data;
        info.Environment["PLATFORM_PG_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["STRIPE_FAKE_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Urls"] = api;
        info.Environment["Silo__HttpPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Silo__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Silo__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var inherited in new[] { "Platform__AdminToken", "ConnectionStrings__Platform", "Stripe__SecretKey", "Webhooks__AllowPrivateNetworks", "ASPNETCORE_URLS" })
        {
            info.Environment.Remove(inherited);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForBannerAsync(Process run, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            lock (output)
            {
                if (output.ToString().Contains("The Platform is running.", StringComparison.Ordinal))
                {
                    return;
                }
            }
            Assert.False(run.HasExited, "run.sh exited: " + output);
            Assert.True(DateTime.UtcNow < deadline, "run.sh did not start in time: " + output);
            await Task.Delay(250);
        }
    }

    /// <summary>As Ctrl-C would: run.sh's trap stops the API, the silo, the fake and its PostgreSQL.</summary>
    private static async Task StopAsync(Process run)
    {
        if (!run.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await run.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                run.Kill(entireProcessTree: true);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "run.sh")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("run.sh not found above " + AppContext.BaseDirectory);
    }
}
