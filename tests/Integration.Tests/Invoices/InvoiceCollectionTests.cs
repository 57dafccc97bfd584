using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// The platform bills, end to end over real HTTP on two core silos and a pci silo, driven by test clocks: period
/// invoices made at roll-over, finalized after grace, charged once through the invoice's one PaymentIntent at the
/// Stripe fake (its own records count the charges), dunning on its schedule, a new card paying at once.
/// </summary>
[Collection(CollectionCollection.Name)]
public sealed class InvoiceCollectionTests(CollectionClusterFixture fixture)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task ThreePeriods_AdvancedByTestClock_ThreeInvoicesInOrder_EachTotalIsSql_EachChargedOnceAtStripe()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-5).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/invoice_settings", new { number_prefix = "ACME" }));
        var (customer, card, subscription) = await fixture.SubscribedCustomerAsync(tenant, "pm_card_visa");
        Assert.Equal(start.ToUnixTimeSeconds(), subscription.GetProperty("current_period_start").GetInt64());
        var self = await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}"));
        Assert.Equal(card, self.GetProperty("invoice_settings").GetProperty("default_payment_method").GetString());
        Assert.Equal(tenant.Clock, self.GetProperty("test_clock").GetString());

        decimal[][] usage = [[40, 30.5m], [700, 650, 1.25m], []];
        for (var period = 0; period < 3; period++)
        {
            var from = start + period * Day;
            var events = usage[period].Select((q, i) => new
            {
                event_id = $"p{period}-{i}", customer, metric = "api_calls", quantity = q, timestamp = (from + TimeSpan.FromMinutes(10 + i)).ToUnixTimeSeconds(),
            }).ToArray();
            if (events.Length > 0)
            {
                Assert.Equal(events.Length, (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/usage_events", new { events }))).GetProperty("accepted").GetInt32());
            }
            // Past the period's end and its hour of grace: roll-over, draft, finalization and the charge, all before the answer.
            var clock = await fixture.AdvanceAsync(tenant, from + Day + TimeSpan.FromHours(2));
            Assert.Equal("ready", clock.GetProperty("status").GetString());
        }

        var invoices = await fixture.InvoicesAsync(tenant, customer);
        Assert.Equal(3, invoices.Length);
        for (var period = 0; period < 3; period++)
        {
            var invoice = invoices[period];
            var from = start + period * Day;
            var id = invoice.GetProperty("id").GetString()!;
            Assert.Equal(from.ToUnixTimeSeconds(), invoice.GetProperty("period_start").GetInt64());
            Assert.Equal($"ACME-{period + 1:000000}", invoice.GetProperty("number").GetString());
            Assert.Equal("paid", invoice.GetProperty("status").GetString());
            var expected = await fixture.ScalarAsync<long>(DailyPlanSql.ExpectedTotal, tenant.Id, customer, from.UtcDateTime, (from + Day).UtcDateTime);
            Assert.Equal(expected, invoice.GetProperty("total").GetInt64());
            Assert.Equal(expected, invoice.GetProperty("amount_paid").GetInt64());
            Assert.Equal(0, invoice.GetProperty("amount_remaining").GetInt64());
            Assert.Equal(invoice.GetProperty("subtotal").GetInt64(),
                invoice.GetProperty("lines").GetProperty("data").EnumerateArray().Sum(l => l.GetProperty("amount").GetInt64()));
            Assert.Equal(1, invoice.GetProperty("attempt_count").GetInt32());
            Assert.StartsWith("pi_", invoice.GetProperty("payment_intent").GetString());
            Assert.Equal((1, 1, 0), fixture.ChargesAtStripe(id));
            var amountAtStripe = fixture.Stripe.State.Get(invoice.GetProperty("payment_intent").GetString()!)!["amount"]!.GetValue<long>();
            Assert.Equal(expected, amountAtStripe);
        }

        // Advancing again (nothing due for these periods) charges nothing more, whatever runs twice.
        await fixture.AdvanceAsync(tenant, start + 3 * Day + TimeSpan.FromHours(3));
        Assert.All(invoices, i => Assert.Equal((1, 1, 0), fixture.ChargesAtStripe(i.GetProperty("id").GetString()!)));
        var live = await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}/subscription"));
        Assert.Equal("active", live.GetProperty("status").GetString());
    }

    [Fact]
    public async Task DecliningCard_PastDue_RetriesAfter3_5_7Days_ThenCanceled_OnePaymentIntentFourDeclines()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        var monthly = await MonthlyPlanAsync(tenant);
        var customer = await CustomerWithCardAsync(tenant, "pm_card_chargeDeclinedInsufficientFunds", monthly);
        var periodEnd = start.AddMonths(1);

        await fixture.AdvanceAsync(tenant, periodEnd + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var id = invoice.GetProperty("id").GetString()!;
        var finalizedAt = DateTimeOffset.FromUnixTimeSeconds(invoice.GetProperty("status_transitions").GetProperty("finalized_at").GetInt64());
        Assert.Equal(("open", 1), (invoice.GetProperty("status").GetString(), invoice.GetProperty("attempt_count").GetInt32()));
        Assert.Equal((finalizedAt + 3 * Day).ToUnixTimeSeconds(), invoice.GetProperty("next_payment_attempt").GetInt64());
        Assert.Equal("past_due", await SubscriptionStatusAsync(tenant, customer));

        var retry = finalizedAt + 3 * Day;
        foreach (var (days, attempts) in new[] { (5, 2), (7, 3) })
        {
            // A second before the retry is due nothing is tried; at the time it is.
            await fixture.AdvanceAsync(tenant, retry - TimeSpan.FromSeconds(1));
            Assert.Equal(attempts - 1, (await InvoiceAsync(tenant, id)).GetProperty("attempt_count").GetInt32());
            await fixture.AdvanceAsync(tenant, retry);
            invoice = await InvoiceAsync(tenant, id);
            Assert.Equal(attempts, invoice.GetProperty("attempt_count").GetInt32());
            Assert.Equal((retry + days * Day).ToUnixTimeSeconds(), invoice.GetProperty("next_payment_attempt").GetInt64());
            Assert.Equal("past_due", await SubscriptionStatusAsync(tenant, customer));
            retry += days * Day;
        }
        await fixture.AdvanceAsync(tenant, retry);
        invoice = await InvoiceAsync(tenant, id);
        Assert.Equal(4, invoice.GetProperty("attempt_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("next_payment_attempt").ValueKind);
        Assert.Equal("uncollectible", invoice.GetProperty("status").GetString());
        Assert.Equal("canceled", await SubscriptionStatusAsync(tenant, customer));
        Assert.Equal((1, 0, 4), fixture.ChargesAtStripe(id));
    }

    [Fact]
    public async Task HardDecline_IsNotRetried_TheFinalActionFollowsAtOnce()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/dunning", new { final_action = "unpaid" }));
        var customer = await CustomerWithCardAsync(tenant, "pm_card_chargeDeclinedLostCard", await MonthlyPlanAsync(tenant));

        await fixture.AdvanceAsync(tenant, start.AddMonths(1) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        Assert.Equal(("open", 1), (invoice.GetProperty("status").GetString(), invoice.GetProperty("attempt_count").GetInt32()));
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("next_payment_attempt").ValueKind);
        Assert.Equal("unpaid", await SubscriptionStatusAsync(tenant, customer));
        Assert.Equal((1, 0, 1), fixture.ChargesAtStripe(invoice.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task NewDefaultCard_MidDunning_PaysTheOpenInvoiceAtOnce_ThroughTheSamePaymentIntent()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        var customer = await CustomerWithCardAsync(tenant, "pm_card_chargeDeclined", await MonthlyPlanAsync(tenant));
        await fixture.AdvanceAsync(tenant, start.AddMonths(1) + TimeSpan.FromHours(2));
        var id = Assert.Single(await fixture.InvoicesAsync(tenant, customer)).GetProperty("id").GetString()!;
        Assert.Equal("past_due", await SubscriptionStatusAsync(tenant, customer));

        var visa = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer })))
            .GetProperty("id").GetString()!;
        var updated = await ClusterFixture.Json(await tenant.Client.PatchAsJsonAsync($"/v1/customers/{customer}",
            new { invoice_settings = new { default_payment_method = visa } }));
        Assert.Equal(visa, updated.GetProperty("invoice_settings").GetProperty("default_payment_method").GetString());

        // No clock moved: the new default retried the invoice by itself.
        var paid = await Eventually(() => InvoiceAsync(tenant, id), i => i.GetProperty("status").GetString() == "paid");
        Assert.Equal(2, paid.GetProperty("attempt_count").GetInt32());
        Assert.Equal(paid.GetProperty("total").GetInt64(), paid.GetProperty("amount_paid").GetInt64());
        Assert.Equal("active", await Eventually(() => SubscriptionStatusAsync(tenant, customer), s => s == "active"));
        Assert.Equal((1, 1, 1), fixture.ChargesAtStripe(id));

        // Paying it again is no second charge: the invoice is paid, its PaymentIntent succeeded once.
        var again = await tenant.Client.PostAsJsonAsync($"/v1/invoices/{id}/pay", new { payment_method = visa });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((1, 1, 1), fixture.ChargesAtStripe(id));
    }

    [Fact]
    public async Task SendInvoice_IsDueAfterDaysUntilDue_AndPaidByPayWithAPaymentMethod_DeclineIs402AndCounted()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        var plan = await MonthlyPlanAsync(tenant);
        var customer = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/customers", new { name = "Invoiced", test_clock = tenant.Clock })))
            .GetProperty("id").GetString()!;
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/subscriptions",
            new { customer, plan, collection_method = "send_invoice", days_until_due = 14 }));
        await fixture.AdvanceAsync(tenant, start.AddMonths(1) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var id = invoice.GetProperty("id").GetString()!;
        Assert.Equal(("open", "send_invoice", 0), (invoice.GetProperty("status").GetString(), invoice.GetProperty("collection_method").GetString(),
            invoice.GetProperty("attempt_count").GetInt32()));
        Assert.Equal(invoice.GetProperty("status_transitions").GetProperty("finalized_at").GetInt64() + 14 * 86400, invoice.GetProperty("due_date").GetInt64());
        Assert.Equal(0, fixture.ChargesAtStripe(id).PaymentIntents);

        var declining = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/payment_methods/pm_card_chargeDeclined/attach", new { customer })))
            .GetProperty("id").GetString()!;
        var declined = await tenant.Client.PostAsJsonAsync($"/v1/invoices/{id}/pay", new { payment_method = declining });
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal("card_declined", (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(("open", 1), ((await InvoiceAsync(tenant, id)).GetProperty("status").GetString(), (await InvoiceAsync(tenant, id)).GetProperty("attempt_count").GetInt32()));

        var visa = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer })))
            .GetProperty("id").GetString()!;
        var paid = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/invoices/{id}/pay", new { payment_method = visa }));
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal((1, 1, 1), fixture.ChargesAtStripe(id));
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/v1/invoices/{id}/void", null)).StatusCode);
    }

    [Fact]
    public async Task CardNeedingAuthentication_ActionRequired_ThenAuthenticatedOnSession_TheWebhookMarksItPaidOnce()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        var customer = await CustomerWithCardAsync(tenant, "pm_card_threeDSecureRequired", await MonthlyPlanAsync(tenant));
        await fixture.AdvanceAsync(tenant, start.AddMonths(1) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var id = invoice.GetProperty("id").GetString()!;
        var paymentIntent = invoice.GetProperty("payment_intent").GetString()!;
        Assert.Equal(("open", 1), (invoice.GetProperty("status").GetString(), invoice.GetProperty("attempt_count").GetInt32()));
        var events = await ClusterFixture.Json(await tenant.Client.GetAsync("/v1/events?type=invoice.payment_action_required"));
        var actionRequired = Assert.Single(events.GetProperty("data").EnumerateArray());
        Assert.Equal(id, actionRequired.GetProperty("data").GetProperty("object").GetProperty("id").GetString());

        // The customer comes back on-session (the hosted page's job): confirms with the card and passes 3-D Secure at
        // Stripe. Only Stripe's signed payment_intent.succeeded tells the platform.
        var card = fixture.Stripe.State.List("payment_method").Single(pm => (string?)pm["customer"] is not null
            && fixture.Stripe.State.Get((string)pm["customer"]!)?["metadata"]?["customer_id"]?.GetValue<string>() == customer)["id"]!.GetValue<string>();
        using (var stripe = new HttpClient { BaseAddress = new Uri(fixture.Stripe.BaseUrl) })
        {
            stripe.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PciClusterFixture.StripeSecretKey);
            var confirmed = await stripe.PostAsync($"/v1/payment_intents/{paymentIntent}/confirm",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_method"] = card }));
            Assert.Equal("requires_action", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        fixture.Stripe.AuthenticatePaymentIntent(paymentIntent);

        var paid = await Eventually(() => InvoiceAsync(tenant, id), i => i.GetProperty("status").GetString() == "paid");
        Assert.Equal(paid.GetProperty("total").GetInt64(), paid.GetProperty("amount_paid").GetInt64());
        Assert.Equal("active", await Eventually(() => SubscriptionStatusAsync(tenant, customer), s => s == "active"));
        Assert.Equal(1, fixture.ChargesAtStripe(id).Succeeded);
    }

    [Fact]
    public async Task CanceledAtPeriodEnd_TheLastPeriodIsStillInvoicedAndPaidOnce_ThenNoMoreInvoices()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var tenant = await fixture.TenantAsync(start);
        var customer = await CustomerWithCardAsync(tenant, "pm_card_visa", await MonthlyPlanAsync(tenant));
        var subscription = (await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}/subscription"))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/subscriptions/{subscription}/cancel", new { at_period_end = true }));

        await fixture.AdvanceAsync(tenant, start.AddMonths(1) + TimeSpan.FromHours(2));
        Assert.Equal("canceled", await SubscriptionStatusAsync(tenant, customer));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        Assert.Equal((start.ToUnixTimeSeconds(), start.AddMonths(1).ToUnixTimeSeconds()),
            (invoice.GetProperty("period_start").GetInt64(), invoice.GetProperty("period_end").GetInt64()));
        Assert.Equal(("paid", 2000L), (invoice.GetProperty("status").GetString(), invoice.GetProperty("amount_paid").GetInt64()));
        Assert.Equal((1, 1, 0), fixture.ChargesAtStripe(invoice.GetProperty("id").GetString()!));

        // An ended subscription bills nothing more.
        await fixture.AdvanceAsync(tenant, start.AddMonths(3));
        Assert.Single(await fixture.InvoicesAsync(tenant, customer));
    }

    private static async Task<string> MonthlyPlanAsync(BillingTenant tenant) =>
        (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/plans", new
        {
            code = "monthly-" + Guid.NewGuid().ToString("N")[..6], interval = "month", currency = "usd", amount = 2000,
        }))).GetProperty("id").GetString()!;

    private static async Task<string> CustomerWithCardAsync(BillingTenant tenant, string card, string plan)
    {
        var customer = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/customers", new { name = "Dunned", test_clock = tenant.Clock })))
            .GetProperty("id").GetString()!;
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/payment_methods/{card}/attach", new { customer }));
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        return customer;
    }

    private static async Task<JsonElement> InvoiceAsync(BillingTenant tenant, string id) =>
        await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/invoices/{id}"));

    private static async Task<string> SubscriptionStatusAsync(BillingTenant tenant, string customer) =>
        (await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}/subscription"))).GetProperty("status").GetString()!;

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        throw new TimeoutException($"Never reached the expected state: {last}");
    }
}
