using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;
using Platform.Integration.Tests.Portal;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// Test clocks are off unless <c>Billing:TestClocks</c> says otherwise (a Production host here: the portal's cluster
/// does not set it): every route and a customer created with <c>test_clock</c> are refused with one clear code.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class TestClocksDisabledTests(PortalClusterFixture fixture)
{
    [Fact]
    public async Task TestClocks_Off_EveryUseIs403TestClocksDisabled_AndNoCustomerIsMade()
    {
        var scenario = await fixture.ScenarioAsync();
        using var client = fixture.Cluster.Client(scenario.Secret);
        var before = (await ClusterFixture.Json(await client.GetAsync("/v1/customers?limit=100"))).GetProperty("data").GetArrayLength();
        foreach (var response in new[]
        {
            await client.PostAsJsonAsync("/v1/test_clocks", new { frozen_time = 1_800_000_000 }),
            await client.GetAsync("/v1/test_clocks/clock_abc"),
            await client.PostAsJsonAsync("/v1/test_clocks/clock_abc/advance", new { frozen_time = 1_800_000_000 }),
            await client.PostAsJsonAsync("/v1/customers", new { name = "Clocked", test_clock = "clock_abc" }),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("test_clocks_disabled", problem.GetProperty("code").GetString());
            Assert.Contains("Billing:TestClocks", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(before, (await ClusterFixture.Json(await client.GetAsync("/v1/customers?limit=100"))).GetProperty("data").GetArrayLength());
    }
}
