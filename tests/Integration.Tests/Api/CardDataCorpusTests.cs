using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Issue 25's walk-arounds of the card-data guard, through every body route of the production split
/// (core + pci silo, the Stripe fake over HTTP): each is refused, and afterwards no table, log line or
/// request the Stripe fake received holds any of the card numbers.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class CardDataCorpusTests(PciClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    private IReadOnlyList<(string Method, string Path)> BodyRoutes() =>
        Cluster.Apis[0].Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => r.m is "POST" or "PATCH" or "PUT" && r.Item2.StartsWith("/v1/", StringComparison.Ordinal) && r.Item2 != "/v1/stripe/webhook")
            .Select(r => (r.m, System.Text.RegularExpressions.Regex.Replace(r.Item2, "{[^}]+}", "x1")))
            .Distinct()
            .ToList();

    [Fact]
    public async Task EveryEncoding_ThroughEveryBodyRoute_IsRefused_AndNoTableLogOrStripeRequestHoldsIt()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var tenantClient = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await tenantClient.PostAsJsonAsync("/v1/customers", new { name = "Corpus" }))).GetProperty("id").GetString()!;
        var customerKey = (await ClusterFixture.Json(await tenantClient.PostAsJsonAsync($"/v1/customers/{customer}/api_keys", new { }))).GetProperty("secret").GetString()!;
        using var admin = Cluster.AdminClient();
        using var customerClient = Cluster.Client();
        customerClient.DefaultRequestHeaders.Add("X-API-Key", customerKey);
        HttpClient[] clients = [tenantClient, admin, customerClient];
        var stripeRequestsBefore = fixture.Stripe.Requests.Entries.Count;

        var routes = BodyRoutes();
        Assert.True(routes.Count >= 20, $"only {routes.Count} body routes");
        var bodies = CardDataCorpus.Bodies().ToList();
        var wrong = new List<string>();
        foreach (var (method, path) in routes)
        {
            foreach (var (label, body) in bodies)
            {
                var (status, code) = await SendAsync(clients, method, path, () => new StringContent(body, Encoding.UTF8, "application/json"));
                if (status != HttpStatusCode.BadRequest || code != "card_data_forbidden")
                {
                    wrong.Add($"{method} {path} [{label}] → {(int)status} {code}");
                }
            }
            foreach (var charset in new[] { "utf-16", "utf-16BE", "utf-32" })
            {
                var encoding = Encoding.GetEncoding(charset);
                var (status, code) = await SendAsync(clients, method, path, () =>
                {
                    var content = new ByteArrayContent(encoding.GetBytes("""{"name":"4242 4242 4242 4242"}"""));
                    content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=" + charset);
                    return content;
                });
                if (status != HttpStatusCode.BadRequest || code != "card_data_forbidden")
                {
                    wrong.Add($"{method} {path} [charset {charset}] → {(int)status} {code}");
                }
            }
        }
        Assert.Empty(wrong);

        var found = new List<string>();
        await foreach (var (table, row) in StoredRowsAsync())
        {
            found.AddRange(Holds(row).Select(pan => $"table {table} holds {pan[..4]}…"));
        }
        found.AddRange(Cluster.Logs.Lines.SelectMany(Holds).Select(pan => $"a log line holds {pan[..4]}…"));
        foreach (var request in fixture.Stripe.Requests.Entries.Skip(stripeRequestsBefore))
        {
            found.AddRange(Holds($"{request.Path} {request.Query} {request.IdempotencyKey} {request.Body}").Select(pan => $"a Stripe request holds {pan[..4]}…"));
        }
        Assert.Empty(found);
    }

    [Fact]
    public async Task ABodyInACharsetWeCannotDecode_Is415_AndOneWeCanIsReadAsTheBinderReadsIt()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var unknown = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"Jenny"}"""));
        unknown.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=x-made-up");
        var refused = await client.PostAsync("/v1/customers", unknown);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("unsupported_media_type", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var utf16 = new ByteArrayContent(Encoding.Unicode.GetBytes("""{"name":"Jenny Rosen"}"""));
        utf16.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-16");
        var created = await ClusterFixture.Json(await client.PostAsync("/v1/customers", utf16));
        Assert.Equal("Jenny Rosen", created.GetProperty("name").GetString());
    }

    /// <summary>Sends with the first credential allowed on the route (tenant admin, platform admin, customer key).</summary>
    private static async Task<(HttpStatusCode Status, string? Code)> SendAsync(HttpClient[] clients, string method, string path, Func<HttpContent> content)
    {
        HttpResponseMessage? response = null;
        foreach (var client in clients)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content() };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            response = await client.SendAsync(request);
            if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized))
            {
                break;
            }
        }
        var text = await response!.Content.ReadAsStringAsync();
        var code = text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null : null;
        return (response.StatusCode, code);
    }

    private static IEnumerable<string> Holds(string text)
    {
        var digits = CardDataCorpus.Digits(text);
        return CardDataCorpus.Pans.Where(pan => digits.Contains(pan, StringComparison.Ordinal));
    }

    /// <summary>Every row of every table of the platform's database, each value as text (bytea decoded as UTF-8).</summary>
    private async IAsyncEnumerable<(string Table, string Row)> StoredRowsAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("platform_events", tables);
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{table}\"", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                var values = new StringBuilder();
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    values.Append(rows.IsDBNull(i) ? "" : rows.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(rows.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append(" | ");
                }
                yield return (table, values.ToString());
            }
        }
    }
}
