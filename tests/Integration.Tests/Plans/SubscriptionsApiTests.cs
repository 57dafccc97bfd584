using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Plans;

/// <summary>Subscriptions created here on a tenant's plan, their entitlements, and what a plan in use allows.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionsApiTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    private async Task<(HttpClient Client, string Customer, string Plan)> SubscribableAsync(object? plan = null)
    {
        var tenant = await fixture.CreateTenantAsync();
        var client = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Subscriber" }))).GetProperty("id").GetString()!;
        var planId = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", plan ?? PlansApiTests.ProPlan()))).GetProperty("id").GetString()!;
        return (client, customer, planId);
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task CreateSubscription_PlanWithTrial_IsTrialingAndGrantsThePlansEntitlements()
    {
        var (client, customer, plan) = await SubscribableAsync();
        using var _ = client;
        var created = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("sub_", id);
        Assert.Equal("trialing", created.GetProperty("status").GetString());
        Assert.Equal(plan, created.GetProperty("plan").GetString());
        Assert.Equal(14 * 86400, created.GetProperty("trial_end").GetInt64() - created.GetProperty("current_period_start").GetInt64());

        var fetched = await ClusterFixture.Json(await client.GetAsync($"/v1/subscriptions/{id}"));
        Assert.Equal(customer, fetched.GetProperty("customer").GetString());
        var ofCustomer = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/subscription"));
        Assert.Equal(id, ofCustomer.GetProperty("id").GetString());

        var entitlements = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/entitlements"));
        Assert.Equal(plan, entitlements.GetProperty("plan").GetString());
        var features = entitlements.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("feature").GetString()!);
        Assert.Equal(JsonValueKind.Null, features["sso"].GetProperty("limit").ValueKind);
        Assert.Equal(5, features["seats"].GetProperty("remaining").GetInt64());

        var second = await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("subscription_exists", await CodeOf(second));
    }

    [Fact]
    public async Task DeletePlan_InUse_Is409UntilTheSubscriptionIsCanceled()
    {
        var (client, customer, plan) = await SubscribableAsync();
        using var _ = client;
        var id = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }))).GetProperty("id").GetString()!;

        var refused = await client.DeleteAsync($"/v1/plans/{plan}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("plan_in_use", await CodeOf(refused));

        var atEnd = await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{id}/cancel", new { at_period_end = true }));
        Assert.True(atEnd.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.Equal("trialing", atEnd.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"/v1/plans/{plan}")).StatusCode);

        var canceled = await ClusterFixture.Json(await client.DeleteAsync($"/v1/subscriptions/{id}"));
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Empty((await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/entitlements"))).GetProperty("data").EnumerateArray());
        Assert.True((await ClusterFixture.Json(await client.DeleteAsync($"/v1/plans/{plan}"))).GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task ChangePlan_MovesEntitlementsAndPlanUse()
    {
        var (client, customer, pro) = await SubscribableAsync();
        using var _ = client;
        var basic = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "basic",
            interval = "month",
            currency = "usd",
            amount = 900,
            entitlements = new[] { new { feature = "seats", limit = 1 } },
        }))).GetProperty("id").GetString()!;
        var id = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan = pro }))).GetProperty("id").GetString()!;

        var changed = await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{id}", new { plan = basic }));
        Assert.Equal(basic, changed.GetProperty("plan").GetString());
        var seats = (await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/entitlements"))).GetProperty("data")[0];
        Assert.Equal(1, seats.GetProperty("limit").GetInt64());
        Assert.True((await ClusterFixture.Json(await client.DeleteAsync($"/v1/plans/{pro}"))).GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"/v1/plans/{basic}")).StatusCode);

        await ClusterFixture.Json(await client.PostAsync($"/v1/plans/{basic}/archive", null));
        var other = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Late" }))).GetProperty("id").GetString()!;
        var onArchived = await client.PostAsJsonAsync("/v1/subscriptions", new { customer = other, plan = basic });
        Assert.Equal(HttpStatusCode.BadRequest, onArchived.StatusCode);
        Assert.Equal("plan_archived", await CodeOf(onArchived));
    }

    [Fact]
    public async Task Consume_ConcurrentCallersOnTwoApiHosts_NeverExceedTheLimit()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Busy" }))).GetProperty("id").GetString()!;
        var plan = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "metered",
            interval = "month",
            currency = "usd",
            amount = 0,
            entitlements = new[] { new { feature = "api_calls", limit = 25 } },
        }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        using var hostA = Cluster.Client(tenant.Secret, index: 0);
        using var hostB = Cluster.Client(tenant.Secret, index: 1);

        // 60 callers of 1 unit each, half on each API host, all at once, against a limit of 25.
        var attempts = Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? hostA : hostB).PostAsJsonAsync($"/v1/customers/{customer}/entitlements/api_calls/consume", new { quantity = 1 }));
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(25, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(35, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("entitlement_exceeded", await CodeOf(refused));
        }
        var after = (await ClusterFixture.Json(await hostB.GetAsync($"/v1/customers/{customer}/entitlements"))).GetProperty("data")[0];
        Assert.Equal(25, after.GetProperty("consumed").GetInt64());
        Assert.Equal(0, after.GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task Consume_CrossingTheThreshold_PublishesOneUsageThresholdEvent()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Nearly" }))).GetProperty("id").GetString()!;
        var plan = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "ten",
            interval = "month",
            currency = "usd",
            amount = 0,
            entitlements = new[] { new { feature = "seats", limit = 10 } },
        }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));

        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/customers/{customer}/entitlements/seats/consume", new { quantity = 7 }));
        Assert.DoesNotContain("usage.threshold_reached", await EventTypesAsync(client));
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/customers/{customer}/entitlements/seats/consume", new { quantity = 1 }));
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/customers/{customer}/entitlements/seats/consume", new { quantity = 1 }));

        var types = await EventTypesAsync(client);
        Assert.Single(types, t => t == "usage.threshold_reached");
        Assert.Contains("subscription.created", types);
        var missing = await client.PostAsJsonAsync($"/v1/customers/{customer}/entitlements/sso/consume", new { quantity = 1 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("entitlement_missing", await CodeOf(missing));
    }

    /// <summary>
    /// Usage is priced over the subscription's own current period: an event stamped an hour before the
    /// subscription started (same calendar month, almost always) is not on its upcoming invoice.
    /// </summary>
    [Fact]
    public async Task UpcomingInvoice_PricesFlatAndMeteredUsageOfTheSubscriptionsPeriod()
    {
        var (client, customer, plan) = await SubscribableAsync(new
        {
            code = "metered",
            interval = "month",
            currency = "eur",
            amount = 4900,
            usage_charges = new object[]
            {
                new { metric = "api_calls", pricing_model = "graduated", tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { up_to = 1000, unit_amount = 5 }, new { unit_amount = 2 } } },
                new { metric = "exports", pricing_model = "volume", tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { up_to = 1000, unit_amount = 5 }, new { unit_amount = 2 } } },
                new { metric = "storage_gb", pricing_model = "package", package_size = 10, package_amount = 500 },
            },
        });
        using var _ = client;
        var subscription = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        var periodStart = subscription.GetProperty("current_period_start").GetInt64();
        var before = periodStart - 3600;
        foreach (var usage in new object[]
        {
            new { event_id = "before", customer, metric = "api_calls", quantity = 700, timestamp = before },
            new { event_id = "a", customer, metric = "api_calls", quantity = 1000 },
            new { event_id = "b", customer, metric = "api_calls", quantity = 500 },
            new { event_id = "c", customer, metric = "exports", quantity = 1500 },
            new { event_id = "d", customer, metric = "storage_gb", quantity = 25 },
        })
        {
            Assert.True((await client.PostAsJsonAsync("/v1/usage_events", usage)).IsSuccessStatusCode);
        }

        var invoice = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/upcoming_invoice"));
        Assert.Equal("eur", invoice.GetProperty("currency").GetString());
        Assert.Equal(periodStart, invoice.GetProperty("period_start").GetInt64());
        Assert.Equal(subscription.GetProperty("current_period_end").GetInt64(), invoice.GetProperty("period_end").GetInt64());
        var lines = invoice.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal([4900L, 6500L, 3000L, 1500L], lines.Select(l => l.GetProperty("amount").GetInt64()));
        Assert.Equal(1500m, lines[1].GetProperty("quantity").GetDecimal());
        Assert.Equal(4900 + 6500 + 3000 + 1500, invoice.GetProperty("total").GetInt64());
    }

    private static async Task<List<string>> EventTypesAsync(HttpClient client) =>
        (await ClusterFixture.Json(await client.GetAsync("/v1/events?limit=100"))).GetProperty("data").EnumerateArray()
        .Select(e => e.GetProperty("type").GetString()!).ToList();
}
