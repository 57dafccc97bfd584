using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Platform.Grains.Interfaces.CardData;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

[Collection(ClusterCollection.Name)]
public sealed class AuditLogTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task TenantActions_AreAuditedWithActorRequestAndAddress_InAnIntactChain()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Audited", email = "a@example.com" }));
        await client.PatchAsJsonAsync($"/v1/customers/{customer.GetProperty("id").GetString()}", new { name = "Renamed" });

        var audit = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events?limit=100"));
        var entries = audit.GetProperty("data").EnumerateArray().Reverse().ToList();
        Assert.Equal(["tenant.created", "api_key.issued", "customer.created", "customer.updated"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([1L, 2L, 3L, 4L], entries.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal("platform_admin", entries[0].GetProperty("actor").GetString());
        Assert.Equal(tenant.KeyId, entries[2].GetProperty("actor").GetString());
        Assert.Equal("127.0.0.1", entries[2].GetProperty("ip").GetString());
        Assert.False(string.IsNullOrEmpty(entries[2].GetProperty("request_id").GetString()));
        Assert.Equal("name", entries[3].GetProperty("details").GetProperty("fields").GetString());
        Assert.DoesNotContain("Renamed", audit.ToString());
        Assert.DoesNotContain("a@example.com", audit.ToString());
        Assert.Equal(entries[0].GetProperty("hash").GetString(), entries[1].GetProperty("previous_hash").GetString());

        var verify = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(4, verify.GetProperty("entries_checked").GetInt64());
    }

    [Fact]
    public async Task AnEditedRow_IsCaughtByVerify_NamingTheFirstBrokenLink()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        await client.PostAsJsonAsync("/v1/customers", new { name = "One" });
        await client.PostAsJsonAsync("/v1/customers", new { name = "Two" });
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();

        // The table refuses edits outright...
        await using (var plain = new NpgsqlCommand("UPDATE platform_audit_log SET actor = 'someone_else' WHERE chain = $1 AND seq = 3", connection))
        {
            plain.Parameters.AddWithValue(tenant.Id);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => plain.ExecuteNonQueryAsync());
            Assert.Contains("append-only", refused.MessageText);
        }
        // ...so the tamperer disables the trigger for one statement, in a transaction of its own.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var edit = new NpgsqlCommand(
                """
                ALTER TABLE platform_audit_log DISABLE TRIGGER platform_audit_log_no_update;
                UPDATE platform_audit_log SET actor = 'someone_else' WHERE chain = @chain AND seq = 3;
                ALTER TABLE platform_audit_log ENABLE TRIGGER platform_audit_log_no_update;
                """, connection, transaction);
            edit.Parameters.AddWithValue("chain", tenant.Id);
            await edit.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var verify = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events/verify"));

        Assert.False(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(3, verify.GetProperty("first_broken_sequence").GetInt64());
        Assert.Contains("changed", verify.GetProperty("reason").GetString());
    }

    /// <summary>
    /// Issue 25 item 2: a failed authentication is audited in the append-only platform chain with its route
    /// template and a redacted path and credential: a card number planted in the path (in any spelling the guard
    /// knows) or in the credential's id never reaches a row or a log line.
    /// </summary>
    [Theory]
    [InlineData("/v1/customers/5555555555554444", "sk_AAAAAAAAAAAAAAAAAAAA_wrong", "/v1/customers/{id}")]
    [InlineData("/v1/customers/5555-5555-5555-4444/export", "sk_AAAAAAAAAAAAAAAAAAAA_wrong", "/v1/customers/{id}/export")]
    [InlineData("/v1/customers/%35%35%35%355555.5555.4444", "sk_AAAAAAAAAAAAAAAAAAAA_wrong", "/v1/customers/{id}")]
    [InlineData("/v1/customers/\uFF15\uFF15\uFF15\uFF155555\u00A05555\u00A04444", "sk_AAAAAAAAAAAAAAAAAAAA_wrong", "/v1/customers/{id}")]
    [InlineData("/v1/no_such_route/4111111111111111", "sk_AAAAAAAAAAAAAAAAAAAA_wrong", null)]
    [InlineData("/v1/customers", "sk_4242424242424242AAAA_wrong", "/v1/customers/")]
    public async Task FailedAuthentication_WithACardNumberInPathOrCredential_StoresAndLogsNoneOfIt(string path, string credential, string? route)
    {
        path = System.Text.RegularExpressions.Regex.Unescape(path);
        using var client = Cluster.Client(credential);

        using var response = await client.GetAsync(path);

        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized || route is null, $"{(int)response.StatusCode}: {problem}");
        var requestId = problem.GetProperty("request_id").GetString()!;
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT action, subject, actor, coalesce(ip, ''), details::text FROM platform_audit_log WHERE request_id = $1", connection);
        query.Parameters.AddWithValue(requestId);
        var rows = new List<string[]>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add([reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)]);
            }
        }

        if (route is not null)
        {
            var failed = Assert.Single(rows, r => r[0] == "authentication.failed");
            var details = JsonDocument.Parse(failed[4]).RootElement;
            Assert.Equal(route, details.GetProperty("route").GetString());
            Assert.Contains("[REDACTED", details.GetProperty(credential.Contains("4242", StringComparison.Ordinal) ? "credential" : "path").GetString());
        }
        Assert.All(rows.SelectMany(r => r), value => Assert.False(CardDataDetector.ContainsCardNumber(value), value));
        Assert.DoesNotContain(Cluster.Logs.Lines, line => line.Contains(requestId, StringComparison.Ordinal) && CardDataDetector.ContainsCardNumber(line));
        Assert.DoesNotContain(Cluster.Logs.Lines, line => line.Contains("5555555555554444", StringComparison.Ordinal)
            || line.Contains("4242424242424242", StringComparison.Ordinal) || line.Contains("4111111111111111", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditLog_IsForTenantAdminsOnly_AndOnlyTheirOwnChain()
    {
        var reader = await fixture.CreateTenantAsync(role: "read");
        var other = await fixture.CreateTenantAsync();
        using var readClient = Cluster.Client(reader.Secret);
        using var otherClient = Cluster.Client(other.Secret);

        Assert.Equal(HttpStatusCode.Forbidden, (await readClient.GetAsync("/v1/audit_events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/audit_events?tenant={reader.Id}")).StatusCode);
        using var admin = Cluster.AdminClient();
        var operatorView = await ClusterFixture.Json(await admin.GetAsync($"/v1/audit_events?tenant={reader.Id}"));
        Assert.NotEmpty(operatorView.GetProperty("data").EnumerateArray());
    }
}
