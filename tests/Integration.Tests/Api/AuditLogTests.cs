using System.Net;
using System.Net.Http.Json;
using Npgsql;
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
