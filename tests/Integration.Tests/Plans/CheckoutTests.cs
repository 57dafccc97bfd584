using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Plans;

/// <summary>
/// Plans sold through Stripe Checkout, over real HTTP: the API, a core and a pci silo, PostgreSQL, and the
/// Stripe fake, which completes the session as a customer would and sends its signed webhooks to the API.
/// Every state asserted here arrived only through those webhooks.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class CheckoutTests(PciClusterFixture fixture)
{
    private const string WebhookPath = "v1/stripe/webhook";

    private PlatformCluster Cluster => fixture.Cluster;

    /// <summary>Issue #6's "done when": trial → active → past_due → canceled, driven purely by Stripe's signed webhooks.</summary>
    [Fact]
    public async Task CheckoutSubscription_DrivenByStripeWebhooks_TrialActivePastDueCanceled_EntitlementsAndLicenseFollow()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await CustomerAsync(client);
        // Pro without its usage charges: a trial with usage is refused at Stripe (plan_not_expressible_at_stripe, StripeUsageBillingTests).
        var planId = await PlanAsync(client, new
        {
            code = "pro-" + Guid.NewGuid().ToString("N")[..6], name = "Pro", interval = "month", currency = "usd", amount = 4900, trial_days = 14,
            entitlements = new object[] { new { feature = "sso" }, new { feature = "seats", limit = 5 } },
        });

        var session = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, planId)));
        Assert.Equal("checkout.session", session.GetProperty("object").GetString());
        Assert.StartsWith("cs_test_", session.GetProperty("id").GetString());
        Assert.Equal($"{fixture.Stripe.BaseUrl}/checkout/{session.GetProperty("id").GetString()}", session.GetProperty("url").GetString());
        Assert.Equal("open", session.GetProperty("status").GetString());
        Assert.Equal(customerId, session.GetProperty("customer").GetString());
        Assert.Equal(planId, session.GetProperty("plan").GetString());
        Assert.True(session.GetProperty("expires_at").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        // The plan's price at Stripe: created once, with our metadata, the plan's amount, currency and interval.
        var price = Assert.Single(fixture.Stripe.State.List("price"), p => (string?)p["metadata"]?["platform_plan"] == planId);
        Assert.Equal(tenant.Id, (string?)price["metadata"]!["tenant_id"]);
        Assert.Equal(4900, (long)price["unit_amount"]!);
        Assert.Equal("usd", (string?)price["currency"]);
        Assert.Equal("month", (string?)price["recurring"]!["interval"]);

        await WithWebhooksAsync(async () =>
        {
            fixture.Stripe.CompleteCheckoutSession(session.GetProperty("id").GetString()!);
            var trialing = await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "trialing");
            var subscriptionId = trialing.GetProperty("id").GetString()!;
            Assert.Equal(planId, trialing.GetProperty("plan").GetString());
            Assert.Equal("stripe", trialing.GetProperty("managed_by").GetString());
            Assert.Equal((string?)price["id"], trialing.GetProperty("items")[0].GetProperty("price").GetString());
            Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"/v1/plans/{planId}")).StatusCode);
            await EntitledAsync(client, customerId, planId, "trialing");
            await LicensedAsync(client, customerId, planId, "trialing");

            foreach (var status in new[] { "active", "past_due" })
            {
                fixture.Stripe.SetSubscriptionStatus(subscriptionId, status);
                await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == status);
                await EntitledAsync(client, customerId, planId, status);
                await LicensedAsync(client, customerId, planId, status);
            }

            fixture.Stripe.SetSubscriptionStatus(subscriptionId, "canceled");
            var canceled = await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "canceled");
            Assert.Equal(planId, canceled.GetProperty("plan").GetString());
            var entitlements = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/entitlements"));
            Assert.Equal(JsonValueKind.Null, entitlements.GetProperty("plan").ValueKind);
            Assert.Equal(0, entitlements.GetProperty("data").GetArrayLength());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/customers/{customerId}/license")).StatusCode);
            // The catalog counted the Stripe subscription on the plan while it lived, and no longer does.
            Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/plans/{planId}")).StatusCode);
        });
    }

    [Fact]
    public async Task ChangePlanAndCancel_StripeManaged_GoToStripeAndReturnThroughItsWebhooks()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await CustomerAsync(client);
        var basic = await PlanAsync(client, Plan("basic", 1900, "seats", 2));
        var team = await PlanAsync(client, Plan("team", 9900, "seats", 20));
        var session = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, basic)));

        await WithWebhooksAsync(async () =>
        {
            fixture.Stripe.CompleteCheckoutSession(session.GetProperty("id").GetString()!);
            var active = await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "active");
            var subscriptionId = active.GetProperty("id").GetString()!;
            Assert.Equal(basic, active.GetProperty("plan").GetString());
            Assert.Equal(2, await SeatsAsync(client, customerId));

            await NextSecondAsync();
            var change = await client.PostAsJsonAsync($"/v1/subscriptions/{subscriptionId}", new { plan = team });
            Assert.Equal(HttpStatusCode.Accepted, change.StatusCode);
            Assert.Equal(subscriptionId, (await ClusterFixture.Json(change)).GetProperty("id").GetString());
            var moved = await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("plan").GetString() == team);
            Assert.Equal("active", moved.GetProperty("status").GetString());
            Assert.Equal("create_prorations", fixture.Stripe.State.ProrationBehaviorOf(subscriptionId));
            Assert.Equal(20, await SeatsAsync(client, customerId));
            var update = fixture.Stripe.Webhooks.Events.Last(e => (string?)e["type"] == "customer.subscription.updated"
                                                                  && (string?)e["data"]?["object"]?["id"] == subscriptionId);
            Assert.NotNull(update["data"]?["previous_attributes"]?["items"]);

            await NextSecondAsync();
            var back = await client.PostAsJsonAsync($"/v1/subscriptions/{subscriptionId}", new { plan = basic, proration_behavior = "none" });
            Assert.Equal(HttpStatusCode.Accepted, back.StatusCode);
            await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("plan").GetString() == basic);
            Assert.Equal("none", fixture.Stripe.State.ProrationBehaviorOf(subscriptionId));

            var bad = await client.PostAsJsonAsync($"/v1/subscriptions/{subscriptionId}", new { plan = team, proration_behavior = "sometimes" });
            await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "parameter_invalid", "proration_behavior");

            await NextSecondAsync();
            var atPeriodEnd = await client.PostAsJsonAsync($"/v1/subscriptions/{subscriptionId}/cancel", new { at_period_end = true });
            Assert.Equal(HttpStatusCode.Accepted, atPeriodEnd.StatusCode);
            await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("cancel_at_period_end").GetBoolean());
            Assert.Equal(2, await SeatsAsync(client, customerId));

            Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/v1/subscriptions/{subscriptionId}")).StatusCode);
            await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "canceled");
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/customers/{customerId}/license")).StatusCode);
            Assert.Equal("canceled", (string?)fixture.Stripe.State.Get(subscriptionId)!["status"]);
        });
    }

    [Fact]
    public async Task Erase_CustomerWithStripeManagedSubscription_CancelsItAtStripeAndDropsEntitlementsAtOnce()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await CustomerAsync(client);
        var planId = await PlanAsync(client, Plan("gdpr", 1500, "seats", 4));
        var session = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, planId)));

        await WithWebhooksAsync(async () =>
        {
            fixture.Stripe.CompleteCheckoutSession(session.GetProperty("id").GetString()!);
            var active = await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "active");
            var subscriptionId = active.GetProperty("id").GetString()!;
            Assert.Equal(4, await SeatsAsync(client, customerId));

            var erased = await ClusterFixture.Json(await client.PostAsync($"/v1/customers/{customerId}/erase", null));

            Assert.Equal("completed", erased.GetProperty("status").GetString());
            Assert.Contains("subscription", erased.GetProperty("steps_completed").EnumerateArray().Select(s => s.GetString()));
            // At once, not after Stripe's event: nothing is granted or licensed to an erased customer.
            var subscription = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
            Assert.Equal("canceled", subscription.GetProperty("status").GetString());
            Assert.Null(await SeatsAsync(client, customerId));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/customers/{customerId}/license")).StatusCode);
            Assert.Equal("canceled", (string?)fixture.Stripe.State.Get(subscriptionId)!["status"]);
            await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, planId)),
                HttpStatusCode.Conflict, "customer_erased", "customer");
        });
    }

    [Fact]
    public async Task CreateCheckoutSession_BadInput_Is4xxWithParam()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await CustomerAsync(client);
        var planId = await PlanAsync(client, Plan("solo", 900, "seats", 1));

        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", new { plan = planId, success_url = "https://a.example/ok", cancel_url = "https://a.example/no" }),
            HttpStatusCode.BadRequest, "parameter_missing", "customer");
        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", new { customer = customerId, plan = planId, cancel_url = "https://a.example/no" }),
            HttpStatusCode.BadRequest, "parameter_missing", "success_url");
        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", new { customer = customerId, plan = planId, success_url = "javascript:alert(1)", cancel_url = "https://a.example/no" }),
            HttpStatusCode.BadRequest, "parameter_invalid", "success_url");
        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, "plan_00000000000000missing")),
            HttpStatusCode.BadRequest, "resource_missing", "plan");
        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", Session("cus_00000000000000missing", planId)),
            HttpStatusCode.BadRequest, "parameter_invalid", "customer");

        var archived = await PlanAsync(client, Plan("old", 500, "seats", 1));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/plans/{archived}/archive", null)).StatusCode);
        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, archived)),
            HttpStatusCode.BadRequest, "plan_archived", "plan");

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/subscriptions", new { customer = customerId, plan = planId })).StatusCode);
        await AssertProblemAsync(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(customerId, planId)),
            HttpStatusCode.Conflict, "subscription_exists", "customer");
    }

    [Fact]
    public async Task CreateCheckoutSession_TwoCustomersOnOnePlan_ShareOneStripePrice()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var planId = await PlanAsync(client, Plan("shared", 2500, "seats", 3));

        var sessions = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/checkout/sessions", Session(await CustomerAsync(client), planId)))));

        Assert.NotEqual(sessions[0].GetProperty("id").GetString(), sessions[1].GetProperty("id").GetString());
        Assert.Single(fixture.Stripe.State.List("price"), p => (string?)p["metadata"]?["platform_plan"] == planId);
        Assert.Single(fixture.Stripe.State.List("product"), p => (string?)p["metadata"]?["platform_plan"] == planId);
    }

    private static object Session(string customerId, string planId) => new
    {
        customer = customerId,
        plan = planId,
        success_url = "https://app.example.com/welcome?session={CHECKOUT_SESSION_ID}",
        cancel_url = "https://app.example.com/pricing",
    };

    private static object Plan(string code, long amount, string feature, long limit) => new
    {
        code = code + "-" + Guid.NewGuid().ToString("N")[..6],
        interval = "month",
        currency = "usd",
        amount,
        entitlements = new object[] { new { feature = "sso" }, new { feature, limit } },
    };

    /// <summary>
    /// Stripe stamps events in whole seconds, and two updates of one subscription in the same second with the
    /// same status are ordered by event id (docs/PLANS.md); each change here starts in a later second than
    /// the events before it, as changes a person makes do. A wait on the clock's second, not on our work.
    /// </summary>
    private static async Task NextSecondAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() <= now)
        {
            await Task.Delay(50);
        }
    }

    private async Task WithWebhooksAsync(Func<Task> body)
    {
        // The collection runs its tests one at a time, so this fixture-wide setting is this test's alone.
        fixture.Stripe.Webhooks.Url = Cluster.ApiUrls[0] + WebhookPath;
        try
        {
            await body();
        }
        finally
        {
            fixture.Stripe.Webhooks.Url = null;
        }
    }

    private static async Task<string> CustomerAsync(HttpClient client) =>
        (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Checkout customer", email = "buyer@example.com" })))
        .GetProperty("id").GetString()!;

    private static async Task<string> PlanAsync(HttpClient client, object plan) =>
        (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", plan))).GetProperty("id").GetString()!;

    private static async Task<JsonElement> SubscriptionWhenAsync(HttpClient client, string customerId, Func<JsonElement, bool> done) =>
        await WhenAsync(client, $"/v1/customers/{customerId}/subscription", done);

    private static async Task EntitledAsync(HttpClient client, string customerId, string planId, string status)
    {
        var entitlements = await WhenAsync(client, $"/v1/customers/{customerId}/entitlements", e => e.GetProperty("status").GetString() == status);
        Assert.Equal(planId, entitlements.GetProperty("plan").GetString());
        var seats = entitlements.GetProperty("data").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == "seats");
        Assert.Equal(5, seats.GetProperty("limit").GetInt64());
        Assert.Contains(entitlements.GetProperty("data").EnumerateArray(), f => f.GetProperty("feature").GetString() == "sso");
    }

    private static async Task LicensedAsync(HttpClient client, string customerId, string planId, string status)
    {
        var license = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/license"));
        Assert.Equal(planId, license.GetProperty("plan").GetString());
        Assert.Equal(status, license.GetProperty("status").GetString());
        Assert.Equal(3, license.GetProperty("token").GetString()!.Split('.').Length);
    }

    private static async Task<long?> SeatsAsync(HttpClient client, string customerId)
    {
        var entitlements = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/entitlements"));
        return entitlements.GetProperty("data").EnumerateArray().SingleOrDefault(f => f.GetProperty("feature").GetString() == "seats") is { ValueKind: JsonValueKind.Object } seats
            ? seats.GetProperty("limit").GetInt64()
            : null;
    }

    private static async Task<JsonElement> WhenAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK && done(await ClusterFixture.Json(response)))
            {
                return await ClusterFixture.Json(response);
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not reach the expected state: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(param, problem.RootElement.GetProperty("param").GetString());
    }
}
