using System.Text.Json;
using Platform.Cli;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Cli;

/// <summary>The operator CLI, invoked in-process with captured output, against the shared cluster's API.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PlatformCliTests(ClusterFixture fixture)
{
    private string ApiUrl => fixture.Cluster.ApiUrls[0].ToString();

    [Fact]
    public async Task Cli_DrivesATenantFromCreationToFirstUsageReport()
    {
        var admin = fixture.Cluster.AdminToken;

        var created = await RunAsync("--token", admin, "tenants", "create", "--name", "CLI Co", "--metadata", "plan=gold", "--json");
        Assert.Equal(ExitCodes.Ok, created.Exit);
        var tenantId = created.Json().GetProperty("id").GetString()!;
        Assert.StartsWith("ten_", tenantId);

        var shown = await RunAsync("--token", admin, "tenants", "get", tenantId);
        Assert.Equal(ExitCodes.Ok, shown.Exit);
        Assert.Matches(@"name\s+CLI Co", shown.Output);

        var listed = await RunAsync("--token", admin, "tenants", "list", "--limit", "5", "--json");
        Assert.Contains(listed.Json().GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == tenantId);

        var issued = await RunAsync("--token", admin, "keys", "issue", "--tenant", tenantId, "--role", "admin", "--json");
        Assert.Equal(ExitCodes.Ok, issued.Exit);
        var keyId = issued.Json().GetProperty("id").GetString()!;
        var secret = issued.Json().GetProperty("secret").GetString()!;

        var customer = await RunAsync("--token", secret, "customers", "create", "--email", "jenny@example.com", "--name", "Jenny Rosen", "--json");
        Assert.Equal(ExitCodes.Ok, customer.Exit);
        var customerId = customer.Json().GetProperty("id").GetString()!;

        var customers = await RunAsync("--token", secret, "customers", "list");
        Assert.Equal(ExitCodes.Ok, customers.Exit);
        Assert.StartsWith(customerId, customers.Output.Trim());
        Assert.Contains("email=jenny@example.com", customers.Output);

        var usage = await RunAsync("--token", secret, "usage", "report", "--customer", customerId, "--metric", "api_calls", "--quantity", "3", "--event-id", "evt-cli-first", "--json");
        Assert.True(usage.Exit == ExitCodes.Ok, usage.Error);
        Assert.Contains("accepted", usage.Output);
        var again = await RunAsync("--token", secret, "usage", "report", "--customer", customerId, "--metric", "api_calls", "--quantity", "3", "--event-id", "evt-cli-first", "--json");
        Assert.True(again.Exit == ExitCodes.Ok, again.Error);
        Assert.Contains("duplicate", again.Output);

        var audit = await RunAsync("--token", secret, "audit", "verify");
        Assert.True(audit.Exit == ExitCodes.Ok, audit.Output + audit.Error);

        var revoked = await RunAsync("--token", admin, "keys", "revoke", "--tenant", tenantId, "--key", keyId, "--json");
        Assert.Equal(ExitCodes.Ok, revoked.Exit);
        Assert.True(revoked.Json().GetProperty("revoked").GetBoolean());

        var refused = await RunAsync("--token", secret, "customers", "list");
        Assert.Equal(ExitCodes.Refused, refused.Exit);
        Assert.Contains("401 invalid_api_key", refused.Error);
        Assert.Contains("request_id:", refused.Error);
    }

    [Fact]
    public async Task Cli_ExitCodesTellScriptsWhatHappened()
    {
        var admin = fixture.Cluster.AdminToken;

        var missing = await RunAsync("--token", admin, "tenants", "get", "ten_doesnotexist00000000");
        Assert.Equal(ExitCodes.NotFound, missing.Exit);
        Assert.Contains("resource_missing", missing.Error);

        var usageError = await RunAsync("--token", admin, "keys", "issue", "--tenant", "ten_x", "--role", "owner");
        Assert.Equal(ExitCodes.Usage, usageError.Exit);

        var invalid = await RunAsync("--token", admin, "tenants", "create", "--name", " ", "--json");
        Assert.Equal(ExitCodes.Refused, invalid.Exit);
        Assert.Equal("parameter_invalid", JsonDocument.Parse(invalid.Output).RootElement.GetProperty("code").GetString());

        var events = await RunAsync("--token", admin, "webhook-events", "list", "--status", "failed");
        AssertOkOrUnavailable(events);
        var cleanup = await RunAsync("--token", admin, "usage", "clean-up", "--before", "2020-01-01");
        Assert.True(cleanup.Exit is ExitCodes.Ok or ExitCodes.Refused or ExitCodes.NotFound, cleanup.Error);

        var unreachable = await PlatformCliRun(["--api-url", "http://127.0.0.1:1", "--token", admin, "tenants", "list"]);
        Assert.Equal(ExitCodes.ServerError, unreachable.Exit);

        var help = await PlatformCliRun(["--help"]);
        Assert.Equal(ExitCodes.Ok, help.Exit);
        Assert.Contains("Exit codes:", help.Output);
    }

    [Fact]
    public async Task Cli_ExportsAndErasesACustomer_AndReportsCompliance()
    {
        var tenant = await fixture.CreateTenantAsync();
        var customer = await RunAsync("--token", tenant.Secret, "customers", "create", "--email", "cli-erase@example.com", "--json");
        var customerId = customer.Json().GetProperty("id").GetString()!;

        var export = await RunAsync("--token", tenant.Secret, "customers", "export", customerId, "--json");
        Assert.Equal(ExitCodes.Ok, export.Exit);
        Assert.Equal("cli-erase@example.com", export.Json().GetProperty("customer").GetProperty("email").GetString());
        var erase = await RunAsync("--token", tenant.Secret, "customers", "erase", customerId, "--json");
        Assert.Equal(ExitCodes.Ok, erase.Exit);
        Assert.Equal("completed", erase.Json().GetProperty("status").GetString());
        var missing = await RunAsync("--token", tenant.Secret, "customers", "erase", "cus_0000000000000000missing");
        Assert.Equal(ExitCodes.NotFound, missing.Exit);

        // Exit 5 exactly when the report fails a control (the shared cluster may: plain HTTP, test keys, and
        // other tests break audit chains on purpose).
        var json = await RunAsync("--token", fixture.Cluster.AdminToken, "compliance", "report", "--json");
        var failed = json.Json().GetProperty("status").GetString() == "fail";
        var report = await RunAsync("--token", fixture.Cluster.AdminToken, "compliance", "report");
        Assert.Equal(failed ? ExitCodes.VerificationFailed : ExitCodes.Ok, report.Exit);
        Assert.Equal(failed ? ExitCodes.VerificationFailed : ExitCodes.Ok, json.Exit);
        Assert.Matches(@"(pass|fail)\s+audit_chain\s+\S", report.Output);
        Assert.Contains(failed ? "FAILS" : "Every control passes", report.Output, StringComparison.Ordinal);
    }

    private static void AssertOkOrUnavailable(CliRun run)
    {
        if (run.Exit == ExitCodes.NotFound)
        {
            Assert.Contains("is not available on this server", run.Error);
            Assert.Contains("route_not_found", run.Error);
        }
        else
        {
            Assert.True(run.Exit == ExitCodes.Ok, $"exit {run.Exit}: {run.Error}");
        }
    }

    private Task<CliRun> RunAsync(params string[] args) => PlatformCliRun(["--api-url", ApiUrl, .. args]);

    private static async Task<CliRun> PlatformCliRun(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PlatformCli.RunAsync(args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    private sealed record CliRun(int Exit, string Output, string Error)
    {
        public JsonElement Json() => JsonDocument.Parse(Output).RootElement.Clone();
    }
}
