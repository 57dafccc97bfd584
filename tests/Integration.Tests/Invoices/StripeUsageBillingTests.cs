using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// Issue #20 over real HTTP (two core silos, a pci silo, the API, PostgreSQL, the Stripe fake): a plan with a flat fee
/// and a graduated usage charge sold through Checkout; our usage events → Stripe's meter → Stripe's invoice at the
/// fake's period end, priced by Stripe's tiers → signed webhooks → our mirror in <c>/v1/invoices</c>.
/// </summary>
[Collection(CollectionCollection.Name)]
public sealed class StripeUsageBillingTests(CollectionClusterFixture fixture)
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CheckoutWithGraduatedUsage_StripesPeriodEnd_InvoiceMirroredWithOurPreviewsTotal_OnceInItsNewestState()
    {
        using var tenant = await fixture.TenantAsync(DateTimeOffset.UtcNow);
        var customer = await CustomerAsync(tenant);
        var session = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/checkout/sessions", Session(customer, tenant.Plan)));

        // Made once, at the first sale: the tenant's meter for api_calls and a metered graduated price tied to it.
        var eventName = StripeMeterNames.EventName(tenant.Id, "api_calls");
        var meter = Assert.Single(fixture.Stripe.State.List("billing.meter"), m => (string?)m["event_name"] == eventName);
        Assert.Equal("sum", (string?)meter["default_aggregation"]!["formula"]);
        Assert.Equal("stripe_customer_id", (string?)meter["customer_mapping"]!["event_payload_key"]);
        var usagePrice = Assert.Single(fixture.Stripe.State.List("price"),
            p => (string?)p["metadata"]?["platform_plan"] == tenant.Plan && (string?)p["recurring"]?["usage_type"] == "metered");
        Assert.Equal((string?)meter["id"], (string?)usagePrice["recurring"]!["meter"]);
        Assert.Equal("tiered", (string?)usagePrice["billing_scheme"]);
        Assert.Equal("graduated", (string?)usagePrice["tiers_mode"]);
        Assert.Equal([100L, 1000L, null], ((JsonArray)usagePrice["tiers"]!).Select(t => (long?)t!["up_to"]).ToArray());
        Assert.Equal([10L, 5L, 2L], ((JsonArray)usagePrice["tiers"]!).Select(t => (long)t!["unit_amount"]!).ToArray());

        fixture.Stripe.CompleteCheckoutSession(session.GetProperty("id").GetString()!, "pm_card_visa");
        var subscription = await WhenAsync(tenant.Client, $"/v1/customers/{customer}/subscription",
            s => s.GetProperty("status").GetString() == "active" && s.GetProperty("managed_by").GetString() == "stripe");
        var stripeSubscriptionId = subscription.GetProperty("id").GetString()!;
        Assert.Equal(tenant.Plan, subscription.GetProperty("plan").GetString());
        Assert.Equal(2, ((JsonArray)fixture.Stripe.State.Get(stripeSubscriptionId)!["items"]!["data"]!).Count);

        // 1,500 calls: graduated 100×10 + 900×5 + 500×2 = 6,500, plus the flat 1,500.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = new[] { 700, 500, 300 }.Select((q, i) => new { event_id = $"stripe-usage-{i}", customer, metric = "api_calls", quantity = q, timestamp = now }).ToArray();
        var report = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/usage_events", new { events }));
        Assert.Equal(3, report.GetProperty("accepted").GetInt32());
        var stripeCustomer = (string)fixture.Stripe.State.Get(stripeSubscriptionId)!["customer"]!;
        await UntilAsync(() => fixture.Stripe.State.GetMeterTotal(stripeCustomer, eventName) == 1500m);
        var preview = await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}/upcoming_invoice"));
        Assert.Equal(8000, preview.GetProperty("total").GetInt64());

        fixture.Stripe.EndSubscriptionPeriod(stripeSubscriptionId);
        var stripeInvoice = fixture.Stripe.State.List("invoice")
            .Single(i => (string?)i["subscription"] == stripeSubscriptionId && (string?)i["billing_reason"] == "subscription_cycle");
        var stripeInvoiceId = (string)stripeInvoice["id"]!;
        var mirroredId = PlatformIds.MirroredInvoiceIdFor(tenant.Id, stripeInvoiceId);
        var invoice = await WhenAsync(tenant.Client, $"/v1/invoices/{mirroredId}", i => i.GetProperty("status").GetString() == "paid");

        Assert.Equal("stripe", invoice.GetProperty("managed_by").GetString());
        Assert.Equal(stripeInvoiceId, invoice.GetProperty("stripe_invoice").GetString());
        Assert.Equal((string?)stripeInvoice["number"], invoice.GetProperty("number").GetString());
        Assert.Equal(preview.GetProperty("total").GetInt64(), invoice.GetProperty("total").GetInt64());
        Assert.Equal(8000, invoice.GetProperty("amount_paid").GetInt64());
        Assert.Equal(customer, invoice.GetProperty("customer").GetString());
        Assert.Equal(tenant.Plan, invoice.GetProperty("plan").GetString());
        var lines = invoice.GetProperty("lines").GetProperty("data").EnumerateArray().ToArray();
        var usageLine = Assert.Single(lines, l => l.GetProperty("type").GetString() == "usage");
        Assert.Equal("api_calls", usageLine.GetProperty("metric").GetString());
        Assert.Equal(1500m, usageLine.GetProperty("quantity").GetDecimal());
        Assert.Equal(6500, usageLine.GetProperty("amount").GetInt64());
        Assert.Equal(1500, Assert.Single(lines, l => l.GetProperty("type").GetString() == "subscription").GetProperty("amount").GetInt64());

        // The same list as our own invoices, each marked; and the tenant's events fired as for ours.
        var listed = (await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}/invoices?limit=100"))).GetProperty("data")
            .EnumerateArray().ToArray();
        Assert.All(listed, i => Assert.Equal("stripe", i.GetProperty("managed_by").GetString()));
        Assert.Contains(listed, i => i.GetProperty("id").GetString() == mirroredId);
        var all = (await ClusterFixture.Json(await tenant.Client.GetAsync("/v1/invoices?limit=100"))).GetProperty("data").EnumerateArray().ToArray();
        Assert.Single(all, i => i.GetProperty("id").GetString() == mirroredId);
        foreach (var type in new[] { "invoice.created", "invoice.finalized", "invoice.paid" })
        {
            var fired = await WhenAsync(tenant.Client, $"/v1/events?type={type}&limit=100",
                e => e.GetProperty("data").EnumerateArray().Any(x => x.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == mirroredId));
            Assert.Single(fired.GetProperty("data").EnumerateArray(), x => x.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == mirroredId);
        }

        // Duplicates (the same events again) and out-of-order ones (the draft and the open invoice as new, later events) change nothing.
        var invoiceEvents = fixture.Stripe.Webhooks.Events.Where(e => (string?)e["data"]?["object"]?["id"] == stripeInvoiceId).ToArray();
        foreach (var stripeEvent in invoiceEvents)
        {
            Assert.True(fixture.Stripe.Webhooks.Resend((string)stripeEvent["id"]!));
        }
        var draft = (JsonObject)invoiceEvents.First(e => (string?)e["type"] == "invoice.created")["data"]!["object"]!.DeepClone();
        var open = (JsonObject)invoiceEvents.First(e => (string?)e["type"] == "invoice.finalized")["data"]!["object"]!.DeepClone();
        var lateOpen = (string)fixture.Stripe.Webhooks.Emit("invoice.finalized", open)["id"]!;
        var lateDraft = (string)fixture.Stripe.Webhooks.Emit("invoice.updated", draft)["id"]!;
        await UntilAsync(async () => await ProcessedAsync(lateOpen) && await ProcessedAsync(lateDraft));

        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE tenant_id = $1 AND stripe_invoice_id = $2", tenant.Id, stripeInvoiceId));
        var after = await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/invoices/{mirroredId}"));
        Assert.Equal("paid", after.GetProperty("status").GetString());
        Assert.Equal(8000, after.GetProperty("total").GetInt64());
        Assert.Equal(2, after.GetProperty("lines").GetProperty("data").GetArrayLength());
        var paidEvents = await ClusterFixture.Json(await tenant.Client.GetAsync("/v1/events?type=invoice.paid&limit=100"));
        Assert.Single(paidEvents.GetProperty("data").EnumerateArray(), x => x.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == mirroredId);
    }

    [Fact]
    public async Task CheckoutSession_FirstTierFlatAmount_RefusedAsNotExpressibleAtStripe()
    {
        using var tenant = await fixture.TenantAsync(DateTimeOffset.UtcNow);
        var customer = await CustomerAsync(tenant);
        var plan = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/plans", new
        {
            code = "base-fee-" + Guid.NewGuid().ToString("N")[..6],
            interval = "month",
            currency = "usd",
            amount = 1000,
            usage_charges = new object[]
            {
                new { metric = "api_calls", pricing_model = "volume", tiers = new object[] { new { up_to = 10, unit_amount = 100, flat_amount = 1000 }, new { unit_amount = 50 } } },
            },
        }))).GetProperty("id").GetString()!;

        var refused = await tenant.Client.PostAsJsonAsync("/v1/checkout/sessions", Session(customer, plan));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(PlanErrorCodes.PlanNotExpressibleAtStripe, problem.GetProperty("code").GetString());
        Assert.Equal("usage_charges[0][tiers][0][flat_amount]", problem.GetProperty("param").GetString());
        Assert.DoesNotContain(fixture.Stripe.State.List("price"), p => (string?)p["metadata"]?["platform_plan"] == plan);
        Assert.DoesNotContain(fixture.Stripe.State.List("checkout.session"), s => (string?)s["metadata"]?["platform_plan"] == plan);
    }

    [Fact]
    public async Task VoidMirroredInvoice_GoesToStripe_Answers202_AndTheMirrorFollowsItsWebhook()
    {
        using var tenant = await fixture.TenantAsync(DateTimeOffset.UtcNow);
        var customer = await CustomerAsync(tenant);
        var session = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/checkout/sessions", Session(customer, tenant.Plan)));
        fixture.Stripe.CompleteCheckoutSession(session.GetProperty("id").GetString()!, "pm_card_visa");
        var subscription = await WhenAsync(tenant.Client, $"/v1/customers/{customer}/subscription", s => s.GetProperty("status").GetString() == "active");
        var stripeSubscriptionId = subscription.GetProperty("id").GetString()!;
        // The next period's payment fails at Stripe: its invoice stays open.
        var declining = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/payment_methods/pm_card_chargeDeclined/attach", new { customer })))
            .GetProperty("id").GetString()!;
        await StripeAsync($"/v1/subscriptions/{stripeSubscriptionId}", ("default_payment_method", declining));
        fixture.Stripe.EndSubscriptionPeriod(stripeSubscriptionId);
        var stripeInvoiceId = (string)fixture.Stripe.State.List("invoice")
            .Single(i => (string?)i["subscription"] == stripeSubscriptionId && (string?)i["billing_reason"] == "subscription_cycle")["id"]!;
        var mirroredId = PlatformIds.MirroredInvoiceIdFor(tenant.Id, stripeInvoiceId);
        await WhenAsync(tenant.Client, $"/v1/invoices/{mirroredId}", i => i.GetProperty("status").GetString() == "open" && i.GetProperty("attempt_count").GetInt32() == 1);

        var finalize = await tenant.Client.PostAsync($"/v1/invoices/{mirroredId}/finalize", null);
        Assert.Equal(HttpStatusCode.Conflict, finalize.StatusCode);
        Assert.Equal("invoice_managed_by_stripe", JsonDocument.Parse(await finalize.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        var voided = await tenant.Client.PostAsync($"/v1/invoices/{mirroredId}/void", null);

        Assert.Equal(HttpStatusCode.Accepted, voided.StatusCode);
        Assert.Equal("open", (await ClusterFixture.Json(voided)).GetProperty("status").GetString());
        Assert.Equal("void", (string?)fixture.Stripe.State.Get(stripeInvoiceId)!["status"]);
        await WhenAsync(tenant.Client, $"/v1/invoices/{mirroredId}", i => i.GetProperty("status").GetString() == "void");
        await WhenAsync(tenant.Client, "/v1/events?type=invoice.voided&limit=100",
            e => e.GetProperty("data").EnumerateArray().Any(x => x.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == mirroredId));
        await WhenAsync(tenant.Client, "/v1/events?type=invoice.payment_failed&limit=100",
            e => e.GetProperty("data").EnumerateArray().Any(x => x.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == mirroredId));
    }

    private async Task<string> CustomerAsync(BillingTenant tenant)
    {
        var customer = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/customers", new { name = "Stripe billed", email = "billed@example.com" })))
            .GetProperty("id").GetString()!;
        (await tenant.Client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer })).EnsureSuccessStatusCode();
        return customer;
    }

    private static object Session(string customer, string plan) =>
        new { customer, plan, success_url = "https://shop.example/ok?session={CHECKOUT_SESSION_ID}", cancel_url = "https://shop.example/cancel" };

    private async Task<bool> ProcessedAsync(string eventId) =>
        await fixture.ScalarAsync<long>("SELECT count(*) FROM platform_webhook_events WHERE id = $1 AND status = 2", eventId) == 1;

    /// <summary>A call to the fake as Stripe's own API (form-encoded, the secret key).</summary>
    private async Task StripeAsync(string path, params (string Key, string Value)[] form)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PciClusterFixture.StripeSecretKey);
        using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        (await http.PostAsync(fixture.Stripe.BaseUrl + path, content)).EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> WhenAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + _deadline;
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

    private static Task UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + _deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in time");
            await Task.Delay(100);
        }
    }
}
