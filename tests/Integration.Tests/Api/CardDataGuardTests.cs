using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

[Collection(ClusterCollection.Name)]
public sealed partial class CardDataGuardTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData("""{"name":"4242424242424242"}""")]
    [InlineData("""{"name":"card 4242 4242 4242 4242 exp 12/30"}""")]
    [InlineData("""{"description":"5555-5555-5555-4444"}""")]
    [InlineData("""{"metadata":{"note":"378282246310005"}}""")]
    [InlineData("""{"name":"\u0034242424242424242"}""")]
    public async Task ABodyWithACardNumberInAnyField_IsRefused_AndNeverLogged(string body)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.PostAsync("/v1/customers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("card_data_forbidden", problem.GetProperty("code").GetString());
        var digits = new string(JsonDocument.Parse(body).RootElement.ToString().Where(char.IsAsciiDigit).ToArray());
        var pan = digits.Length > 16 ? digits[..16] : digits;
        Assert.DoesNotContain(Cluster.Logs.Lines, line => new string(line.Where(char.IsAsciiDigit).ToArray()).Contains(pan[..13], StringComparison.Ordinal));
        var list = await ClusterFixture.Json(await client.GetAsync("/v1/customers"));
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        var audit = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events?limit=100"));
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "card_data.rejected");
        Assert.DoesNotContain(pan, audit.ToString());
    }

    [Theory]
    [InlineData("""{"metadata":{"cvc":"123"}}""")]
    [InlineData("""{"description":"SSN 078-05-1120"}""")]
    public async Task OtherSensitiveData_IsRefusedTheSameWay(string body)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.PostAsync("/v1/customers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Cluster.Logs.Lines, line => line.Contains("078-05-1120", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACardNumberInTheQuery_IsRefused()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var response = await client.GetAsync("/v1/customers?starting_after=4111111111111111");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"Order 4111111111111112"}""")]
    [InlineData("""{"metadata":{"at_ms":"1795431546006"}}""")]
    [InlineData("""{"name":"Phone +1 415 555 0100"}""")]
    public async Task DigitsThatAreNotACardNumber_AreAccepted(string body)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var response = await client.PostAsync("/v1/customers", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-fA-F]{32,}")]
    private static partial System.Text.RegularExpressions.Regex HexHash();

    [Fact]
    public async Task NoStoredRow_HoldsACardNumber()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT convert_from(coalesce(payloadbinary, ''::bytea), 'UTF8') FROM orleansstorage UNION ALL SELECT details::text FROM platform_audit_log", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // Stored state holds SHA-256 hex (request fingerprints, key hashes); one random 64-hex string in
            // about 450 contains a Luhn-valid digit run, so hashes are masked first: they are not card data.
            var row = HexHash().Replace(reader.GetString(0), "<hash>");
            Assert.False(Platform.Grains.Interfaces.CardData.CardDataDetector.ContainsCardNumber(row), row);
        }
    }
}
