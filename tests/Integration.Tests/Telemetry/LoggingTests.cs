using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Telemetry;

[Collection(ClusterCollection.Name)]
public sealed class LoggingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task RequestLogs_CarryRequestIdAndTenant_AndNeverTheCredentialOrBody()
    {
        var logs = new CapturedLogs();
        var api = await fixture.Cluster.StartApiAsync(builder =>
        {
            builder.Logging.AddProvider(logs);
            // Everything, Orleans at Trace included (the host must clamp that itself). Category rules, not
            // provider rules: the API wraps every provider in its redacting provider.
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddFilter("Orleans", LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft", LogLevel.Trace);
        });
        var tenant = await fixture.CreateTenantAsync();
        var index = fixture.Cluster.Apis.IndexOf(api);
        using (var client = fixture.Cluster.Client(tenant.Secret, index))
        {
            await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Logged", description = "body-marker-7f3a" }));
        }
        using (var wrong = fixture.Cluster.Client(tenant.Secret + "x", index))
        {
            await wrong.GetAsync("/v1/customers");
        }

        var entries = logs.Entries.ToList();
        Assert.Contains(entries, e => e.Scopes.TryGetValue("tenant_id", out var t) && t == tenant.Id
            && e.Scopes.ContainsKey("RequestId") && e.Scopes.GetValueOrDefault("caller") == "tenant");
        var leaks = entries
            .Where(e => e.Text.Contains(tenant.Secret, StringComparison.Ordinal)
                || e.Text.Contains("body-marker-7f3a", StringComparison.Ordinal)
                || e.Scopes.Values.Any(v => v?.Contains(tenant.Secret, StringComparison.Ordinal) == true))
            .Select(e => $"{e.Category} {e.Level}: {e.Text}")
            .ToList();
        Assert.True(leaks.Count == 0, "Secret or body in logs:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public void LoggingFormat_IsJsonWithScopesOutsideDevelopment()
    {
        // The shared cluster's hosts run in the Production environment with no Logging:Format.
        var api = fixture.Cluster.Apis[0].Services;
        Assert.Equal(ConsoleFormatterNames.Json, api.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.True(api.GetRequiredService<IOptions<JsonConsoleFormatterOptions>>().Value.IncludeScopes);
        var silo = fixture.Cluster.Silos[0].Services;
        Assert.Equal(ConsoleFormatterNames.Json, silo.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }
}
