using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Plans;

/// <summary>
/// Trial end and period roll-over happen with no request at all: the subscription's reminder notices the
/// (fake) billing clock has passed the boundary. The tests only move the clock and poll.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class SubscriptionLifecycleTests(BillingClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private PlatformCluster Cluster => fixture.Cluster;

    private async Task<(HttpClient Client, string Customer)> TenantWithCustomerAsync()
    {
        using var admin = Cluster.AdminClient();
        var tenant = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Billing" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/api_keys", new { role = "admin" }))).GetProperty("secret").GetString()!;
        var client = Cluster.Client(secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Daily" }))).GetProperty("id").GetString()!;
        return (client, customer);
    }

    [Fact]
    public async Task Reminder_EndsTrialRollsPeriodsAndCancelsAtPeriodEnd_WithoutRequests()
    {
        var (client, customer) = await TenantWithCustomerAsync();
        using var _ = client;
        var plan = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "daily",
            interval = "day",
            currency = "usd",
            amount = 100,
            trial_days = 1,
            entitlements = new[] { new { feature = "api_calls", limit = 100 } },
        }))).GetProperty("id").GetString()!;
        var created = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        var id = created.GetProperty("id").GetString()!;
        var trialEnd = created.GetProperty("trial_end").GetInt64();
        Assert.Equal("trialing", created.GetProperty("status").GetString());
        Assert.Equal(trialEnd, created.GetProperty("current_period_end").GetInt64());

        fixture.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var active = await PollAsync(client, id, s => s.GetProperty("status").GetString() == "active");
        Assert.Equal(trialEnd, active.GetProperty("current_period_start").GetInt64());
        Assert.Equal(trialEnd + 86400, active.GetProperty("current_period_end").GetInt64());

        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/customers/{customer}/entitlements/api_calls/consume", new { quantity = 40 }));
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        var rolled = await PollAsync(client, id, s => s.GetProperty("current_period_start").GetInt64() == trialEnd + 86400);
        Assert.Equal("active", rolled.GetProperty("status").GetString());
        var limits = (await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/entitlements"))).GetProperty("data")[0];
        Assert.Equal(0, limits.GetProperty("consumed").GetInt64());

        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{id}/cancel", new { at_period_end = true }));
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        var canceled = await PollAsync(client, id, s => s.GetProperty("status").GetString() == "canceled");
        Assert.Equal(trialEnd + 2 * 86400, canceled.GetProperty("ended_at").GetInt64());

        var types = (await ClusterFixture.Json(await client.GetAsync("/v1/events?limit=100"))).GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("subscription.created", types);
        Assert.Contains("subscription.trial_will_end", types);
        Assert.Contains("subscription.canceled", types);
        Assert.True(types.Count(t => t == "subscription.updated") >= 3, string.Join(",", types));
        Assert.True((await ClusterFixture.Json(await client.DeleteAsync($"/v1/plans/{plan}"))).GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task Changes_EachPublishExactlyOneEvent_AcrossADeactivation()
    {
        var (client, customer) = await TenantWithCustomerAsync();
        using var _ = client;
        async Task<string> PlanAsync(string code) => (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code,
            interval = "month",
            currency = "usd",
            amount = 100,
        }))).GetProperty("id").GetString()!;
        var (basic, pro) = (await PlanAsync("basic"), await PlanAsync("pro"));
        var id = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan = basic }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{id}", new { plan = pro }));

        // The published-but-not-yet-cleared event goes with the deactivation's write; the next activation sends nothing again.
        await Cluster.ClusterClient.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(pro, (await ClusterFixture.Json(await client.GetAsync($"/v1/subscriptions/{id}"))).GetProperty("plan").GetString());
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{id}/cancel", new { at_period_end = true }));
        var canceled = await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{id}/cancel", new { at_period_end = false }));
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());

        var events = (await ClusterFixture.Json(await client.GetAsync("/v1/events?limit=100"))).GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString()!.StartsWith("subscription.", StringComparison.Ordinal))
            .Reverse().ToList();
        Assert.Equal(["subscription.created", "subscription.updated", "subscription.updated", "subscription.canceled"],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal([basic, pro, pro, pro], events.Select(e => e.GetProperty("data").GetProperty("object").GetProperty("plan").GetString()));
        Assert.True(events[2].GetProperty("data").GetProperty("object").GetProperty("cancel_at_period_end").GetBoolean());
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string id, Func<JsonElement, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        JsonElement last;
        do
        {
            last = await ClusterFixture.Json(await client.GetAsync($"/v1/subscriptions/{id}"));
            if (done(last))
            {
                return last;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);
        throw new Xunit.Sdk.XunitException($"Subscription never reached the expected state; last: {last}");
    }
}
