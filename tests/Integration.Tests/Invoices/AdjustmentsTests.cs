using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// Money adjustments end to end over real HTTP on two core silos and a pci silo, driven by test clocks, every figure
/// checked by exact sums and against the Stripe fake's own records: prorations of an upgrade and a downgrade, a 20 %
/// coupon for three months over four invoices, credit notes refunded and credited (the credit then spent), credit
/// grants spent before the card and one expiring unspent, exclusive and inclusive tax on one invoice, JPY and KWD.
/// </summary>
[Collection(CollectionCollection.Name)]
public sealed class AdjustmentsTests(CollectionClusterFixture fixture)
{
    private static DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());

    [Fact]
    public async Task UpgradeThenDowngrade_MidPeriod_ProratedBySecond_OnTheNextInvoices()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var basic = await PlanAsync(tenant, 3_000);
        var pro = await PlanAsync(tenant, 9_000);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan = basic });
        var subscriptionId = subscription.GetProperty("id").GetString()!;
        var end1 = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64());

        // Upgrade 10 days and 7 hours in: the unused basic time credited, the rest of the period on pro charged.
        var upgradeAt = start + TimeSpan.FromDays(10) + TimeSpan.FromHours(7);
        await fixture.AdvanceAsync(tenant, upgradeAt);
        await Post(tenant, $"/v1/subscriptions/{subscriptionId}", new { plan = pro });
        var items = (await Get(tenant, $"/v1/invoice_items?customer={customer}&pending=true")).GetProperty("data").EnumerateArray()
            .OrderBy(i => i.GetProperty("amount").GetInt64()).ToArray();
        var (credit1, charge1) = Prorate(3_000, 9_000, start, end1, upgradeAt);
        Assert.Equal([credit1, charge1], items.Select(i => i.GetProperty("amount").GetInt64()).ToArray());
        Assert.All(items, i => Assert.True(i.GetProperty("proration").GetBoolean()));

        await fixture.AdvanceAsync(tenant, end1 + TimeSpan.FromHours(2));
        var first = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        Assert.Equal(3_000 + credit1 + charge1, first.GetProperty("total").GetInt64());
        Assert.Equal(["subscription", "invoiceitem", "invoiceitem"], Lines(first).Select(l => l.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(3_000, Lines(first)[0].GetProperty("amount").GetInt64());
        Assert.Equal("paid", first.GetProperty("status").GetString());
        Assert.Equal((1, 1, 0), fixture.ChargesAtStripe(first.GetProperty("id").GetString()!));
        Assert.Empty((await Get(tenant, $"/v1/invoice_items?customer={customer}&pending=true")).GetProperty("data").EnumerateArray());

        // Downgrade 20 days into the second period: pro's unused time credited, basic's charged.
        var end2 = DateTimeOffset.FromUnixTimeSeconds((await Get(tenant, $"/v1/subscriptions/{subscriptionId}")).GetProperty("current_period_end").GetInt64());
        var downgradeAt = end1 + TimeSpan.FromDays(20);
        await fixture.AdvanceAsync(tenant, downgradeAt);
        await Post(tenant, $"/v1/subscriptions/{subscriptionId}", new { plan = basic, proration_behavior = "create_prorations" });
        await fixture.AdvanceAsync(tenant, end2 + TimeSpan.FromHours(2));
        var second = (await fixture.InvoicesAsync(tenant, customer))[1];
        var (credit2, charge2) = Prorate(9_000, 3_000, end1, end2, downgradeAt);
        Assert.True(credit2 < 0 && charge2 > 0 && credit2 + charge2 < 0);
        Assert.Equal(9_000 + credit2 + charge2, second.GetProperty("total").GetInt64());
        Assert.Equal(second.GetProperty("total").GetInt64(), second.GetProperty("amount_paid").GetInt64());
        Assert.Equal(second.GetProperty("subtotal").GetInt64(), Lines(second).Sum(l => l.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task AlwaysInvoice_BillsTheDifferenceNow_AndNone_MakesNoProration()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var basic = await PlanAsync(tenant, 3_000);
        var pro = await PlanAsync(tenant, 9_000);
        var max = await PlanAsync(tenant, 15_000);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan = basic });
        var subscriptionId = subscription.GetProperty("id").GetString()!;
        var end = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64());
        var at = start + TimeSpan.FromDays(15);
        await fixture.AdvanceAsync(tenant, at);

        await Post(tenant, $"/v1/subscriptions/{subscriptionId}", new { plan = pro, proration_behavior = "always_invoice" });
        var now = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var (credit, charge) = Prorate(3_000, 9_000, start, end, at);
        Assert.Equal(JsonValueKind.Null, now.GetProperty("subscription").ValueKind);
        Assert.Equal(credit + charge, now.GetProperty("total").GetInt64());
        Assert.Equal("paid", now.GetProperty("status").GetString());
        Assert.Equal((1, 1, 0), fixture.ChargesAtStripe(now.GetProperty("id").GetString()!));

        await Post(tenant, $"/v1/subscriptions/{subscriptionId}", new { plan = max, proration_behavior = "none" });
        Assert.DoesNotContain((await Get(tenant, $"/v1/invoice_items?customer={customer}")).GetProperty("data").EnumerateArray(),
            i => i.GetProperty("plan").GetString() == max);
    }

    [Fact]
    public async Task Coupon20PercentFor3Months_DiscountsThreeOfFourInvoices_AndIsRedeemedOnlyUpToItsLimit()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = await PlanAsync(tenant, 10_000);
        var coupon = await Post(tenant, "/v1/coupons", new { percent_off = 20, duration = "repeating", duration_in_months = 3, max_redemptions = 1, name = "Launch" });
        var couponId = coupon.GetProperty("id").GetString()!;
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan, coupon = couponId });
        Assert.Equal(1, (await Get(tenant, $"/v1/coupons/{couponId}")).GetProperty("times_redeemed").GetInt32());

        var periodStart = start;
        for (var month = 0; month < 4; month++)
        {
            var end = DateTimeOffset.FromUnixTimeSeconds((await Get(tenant, $"/v1/subscriptions/{subscription.GetProperty("id").GetString()}"))
                .GetProperty("current_period_end").GetInt64());
            await fixture.AdvanceAsync(tenant, end + TimeSpan.FromHours(2));
            periodStart = end;
        }
        var invoices = await fixture.InvoicesAsync(tenant, customer);
        Assert.Equal(4, invoices.Length);
        Assert.Equal([2_000L, 2_000L, 2_000L, 0L], invoices.Select(i => i.GetProperty("total_discount_amount").GetInt64()).ToArray());
        Assert.Equal([8_000L, 8_000L, 8_000L, 10_000L], invoices.Select(i => i.GetProperty("total").GetInt64()).ToArray());
        Assert.All(invoices, i => Assert.Equal(i.GetProperty("subtotal").GetInt64() - i.GetProperty("total_discount_amount").GetInt64() + i.GetProperty("tax").GetInt64(),
            i.GetProperty("total").GetInt64()));
        Assert.Equal(couponId, invoices[0].GetProperty("discount").GetProperty("coupon").GetString());
        Assert.All(invoices, i => Assert.Equal(i.GetProperty("total").GetInt64(), fixture.Stripe.State.Get(i.GetProperty("payment_intent").GetString()!)!["amount"]!.GetValue<long>()));

        // Its one redemption is used: a second subscription may not have it.
        var other = await CustomerAsync(tenant, "pm_card_visa");
        var refused = await tenant.Client.PostAsJsonAsync("/v1/subscriptions", new { customer = other, plan, coupon = couponId });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("coupon_expired", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task CustomerCoupon_Once_DiscountsOneInvoice_AndASubscriptionsOwnCouponComesFirst()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var fiveOff = (await Post(tenant, "/v1/coupons", new { amount_off = 500, currency = "usd", duration = "once" })).GetProperty("id").GetString()!;
        var billing = await Post(tenant, $"/v1/customers/{customer}/billing", new { coupon = fiveOff });
        Assert.Equal(fiveOff, billing.GetProperty("discount").GetProperty("coupon").GetString());

        await Post(tenant, "/v1/invoice_items", new { customer, amount = 2_000, currency = "usd" });
        var first = await Post(tenant, "/v1/invoices", new { customer }, "customer-coupon-1");
        Assert.Equal((500L, 1_500L), (first.GetProperty("total_discount_amount").GetInt64(), first.GetProperty("total").GetInt64()));
        Assert.Equal(JsonValueKind.Null, (await Get(tenant, $"/v1/customers/{customer}/billing")).GetProperty("discount").ValueKind);
        await Post(tenant, "/v1/invoice_items", new { customer, amount = 2_000, currency = "usd" });
        var second = await Post(tenant, "/v1/invoices", new { customer }, "customer-coupon-2");
        Assert.Equal((0L, 2_000L), (second.GetProperty("total_discount_amount").GetInt64(), second.GetProperty("total").GetInt64()));

        // A forever 10 % on the customer, then 50 % redeemed on its subscription by an update: the subscription's own wins.
        var tenOff = (await Post(tenant, "/v1/coupons", new { percent_off = 10, duration = "forever" })).GetProperty("id").GetString()!;
        await Post(tenant, $"/v1/customers/{customer}/billing", new { coupon = tenOff });
        var plan = await PlanAsync(tenant, 10_000);
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        var subscriptionId = subscription.GetProperty("id").GetString()!;
        var end1 = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64());
        await fixture.AdvanceAsync(tenant, end1 + TimeSpan.FromHours(2));
        var half = (await Post(tenant, "/v1/coupons", new { percent_off = 50, duration = "forever" })).GetProperty("id").GetString()!;
        await Post(tenant, $"/v1/subscriptions/{subscriptionId}", new { coupon = half });
        var end2 = DateTimeOffset.FromUnixTimeSeconds((await Get(tenant, $"/v1/subscriptions/{subscriptionId}")).GetProperty("current_period_end").GetInt64());
        await fixture.AdvanceAsync(tenant, end2 + TimeSpan.FromHours(2));

        var periods = (await Get(tenant, $"/v1/invoices?subscription={subscriptionId}")).GetProperty("data").EnumerateArray()
            .OrderBy(i => i.GetProperty("period_start").GetInt64()).ToArray();
        Assert.Equal([(tenOff, 9_000L), (half, 5_000L)], periods.Select(i => (i.GetProperty("discount").GetProperty("coupon").GetString()!, i.GetProperty("total").GetInt64())).ToArray());
    }

    [Fact]
    public async Task CreditNotes_RefundPartAtStripe_CreditTheRest_AndTheBalancePaysTheNextInvoice()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = await PlanAsync(tenant, 10_000);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        var end1 = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64());
        await fixture.AdvanceAsync(tenant, end1 + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var invoiceId = invoice.GetProperty("id").GetString()!;
        Assert.Equal("paid", invoice.GetProperty("status").GetString());

        var refund = await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, amount = 3_000, refund_amount = 3_000, reason = "product_unsatisfactory" }, "cn-refund");
        Assert.Equal(3_000, refund.GetProperty("refund_amount").GetInt64());
        var stripeRefund = fixture.Stripe.State.Get(refund.GetProperty("refund").GetString()!)!;
        Assert.Equal((3_000L, invoice.GetProperty("payment_intent").GetString()), (stripeRefund["amount"]!.GetValue<long>(), (string?)stripeRefund["payment_intent"]));
        // The same request again (its Idempotency-Key) issues nothing more and refunds nothing more.
        var again = await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, amount = 3_000, refund_amount = 3_000 }, "cn-refund");
        Assert.Equal(refund.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Single(fixture.Stripe.State.List("refund"), r => (string?)r["payment_intent"] == invoice.GetProperty("payment_intent").GetString());

        var credit = await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, amount = 2_000, credit_amount = 2_000 }, "cn-credit");
        Assert.EndsWith("-CN-02", credit.GetProperty("number").GetString());
        Assert.Equal(-2_000, (await Get(tenant, $"/v1/customers/{customer}/billing")).GetProperty("balance").GetInt64());
        var tooMuch = await tenant.Client.SendAsync(Request("/v1/credit_notes", new { invoice = invoiceId, amount = 5_001 }, "cn-too-much"));
        var problem = await tooMuch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("credit_note_exceeds_invoice", problem.GetProperty("code").GetString());
        // Its type is an anchor of the API's own errors page, which explains it.
        var type = problem.GetProperty("type").GetString()!;
        Assert.Contains($"id=\"{type[(type.IndexOf('#') + 1)..]}\"", await tenant.Client.GetStringAsync(type[..type.IndexOf('#')]), StringComparison.Ordinal);
        var paid = await Get(tenant, $"/v1/invoices/{invoiceId}");
        Assert.Equal((10_000L, 10_000L, 5_000L), (paid.GetProperty("total").GetInt64(), paid.GetProperty("amount_paid").GetInt64(),
            paid.GetProperty("post_payment_credit_notes_amount").GetInt64()));

        // The next invoice spends the credit: 10,000 − 2,000 is charged.
        var end2 = DateTimeOffset.FromUnixTimeSeconds((await Get(tenant, $"/v1/subscriptions/{subscription.GetProperty("id").GetString()}")).GetProperty("current_period_end").GetInt64());
        await fixture.AdvanceAsync(tenant, end2 + TimeSpan.FromHours(2));
        var next = (await fixture.InvoicesAsync(tenant, customer))[1];
        Assert.Equal((10_000L, -2_000L, 0L, 8_000L), (next.GetProperty("total").GetInt64(), next.GetProperty("starting_balance").GetInt64(),
            next.GetProperty("ending_balance").GetInt64(), next.GetProperty("amount_due").GetInt64()));
        Assert.Equal(8_000, fixture.Stripe.State.Get(next.GetProperty("payment_intent").GetString()!)!["amount"]!.GetValue<long>());
        await AssertLedgerSumsAsync(tenant, customer, expectedBalance: 0);
    }

    [Fact]
    public async Task CreditNoteRefund_CutShortAtStripe_TheNoteStands_AndTheRetryRefundsOnce()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = await PlanAsync(tenant, 4_000);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        await fixture.AdvanceAsync(tenant, DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64()) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var invoiceId = invoice.GetProperty("id").GetString()!;
        var intent = invoice.GetProperty("payment_intent").GetString();

        fixture.Stripe.Faults.FailNext("/v1/refunds", count: 1_000, statusCode: 503, method: "POST");
        HttpResponseMessage cut;
        try
        {
            cut = await tenant.Client.SendAsync(Request("/v1/credit_notes", new { invoice = invoiceId, amount = 1_000, refund_amount = 1_000 }, "cn-cut"));
        }
        finally
        {
            fixture.Stripe.Faults.Clear();
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cut.StatusCode);
        var pending = Assert.Single((await Get(tenant, $"/v1/credit_notes?invoice={invoiceId}")).GetProperty("data").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("refund").ValueKind);
        Assert.DoesNotContain(fixture.Stripe.State.List("refund"), r => (string?)r["payment_intent"] == intent);

        var retried = await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, amount = 1_000, refund_amount = 1_000 }, "cn-cut");
        Assert.Equal(pending.GetProperty("id").GetString(), retried.GetProperty("id").GetString());
        Assert.StartsWith("re_", retried.GetProperty("refund").GetString());
        await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, amount = 1_000, refund_amount = 1_000 }, "cn-cut");
        var refund = Assert.Single(fixture.Stripe.State.List("refund"), r => (string?)r["payment_intent"] == intent);
        Assert.Equal(1_000, refund["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreditNote_OnAnOpenInvoice_LowersWhatIsDue_AndIsCharged_ThatMuchLess()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = await PlanAsync(tenant, 10_000);
        var customer = await CustomerAsync(tenant, "pm_card_chargeDeclined");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        await fixture.AdvanceAsync(tenant, DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64()) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        var invoiceId = invoice.GetProperty("id").GetString()!;
        Assert.Equal("open", invoice.GetProperty("status").GetString());

        await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, amount = 2_500, reason = "order_change" }, "cn-open");
        var lowered = await Get(tenant, $"/v1/invoices/{invoiceId}");
        Assert.Equal((10_000L, 7_500L, 7_500L, 2_500L), (lowered.GetProperty("total").GetInt64(), lowered.GetProperty("amount_due").GetInt64(),
            lowered.GetProperty("amount_remaining").GetInt64(), lowered.GetProperty("pre_payment_credit_notes_amount").GetInt64()));

        var card = (await Post(tenant, "/v1/payment_methods/pm_card_visa/attach", new { customer })).GetProperty("id").GetString()!;
        var paid = await Post(tenant, $"/v1/invoices/{invoiceId}/pay", new { payment_method = card });
        Assert.Equal(("paid", 7_500L), (paid.GetProperty("status").GetString(), paid.GetProperty("amount_paid").GetInt64()));
        Assert.Equal(7_500, fixture.Stripe.State.Get(paid.GetProperty("payment_intent").GetString()!)!["amount"]!.GetValue<long>());
        Assert.Equal((1, 1, 1), fixture.ChargesAtStripe(invoiceId));
    }

    [Fact]
    public async Task CreditGrants_AreSpentBeforeTheCard_AndOneExpiresUnspent()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = await PlanAsync(tenant, 10_000);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var spent = await Post(tenant, "/v1/credit_grants", new { customer, amount = 2_500, currency = "usd", priority = 10, name = "Welcome" });
        var expiring = await Post(tenant, "/v1/credit_grants", new { customer, amount = 5_000, currency = "usd", expires_at = (start + TimeSpan.FromDays(10)).ToUnixTimeSeconds() });
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        await fixture.AdvanceAsync(tenant, DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64()) + TimeSpan.FromHours(2));

        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        Assert.Equal((10_000L, 2_500L, 7_500L, 7_500L), (invoice.GetProperty("total").GetInt64(), invoice.GetProperty("credits_applied").GetInt64(),
            invoice.GetProperty("amount_due").GetInt64(), invoice.GetProperty("amount_paid").GetInt64()));
        Assert.Equal(7_500, fixture.Stripe.State.Get(invoice.GetProperty("payment_intent").GetString()!)!["amount"]!.GetValue<long>());
        Assert.Equal(0, (await Get(tenant, $"/v1/credit_grants/{spent.GetProperty("id").GetString()}")).GetProperty("remaining").GetInt64());
        Assert.Equal(5_000, (await Get(tenant, $"/v1/credit_grants/{expiring.GetProperty("id").GetString()}")).GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task PaidCreditGrant_IsSoldOnItsOwnInvoice_AndSpendableOnlyOnceThatIsPaid()
    {
        using var tenant = await fixture.TenantAsync(Start);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var grant = await Post(tenant, "/v1/credit_grants", new { customer, amount = 5_000, currency = "usd", category = "paid", name = "Prepaid pack" });
        var grantId = grant.GetProperty("id").GetString()!;
        var invoiceId = grant.GetProperty("invoice").GetString()!;

        var sold = await Get(tenant, $"/v1/invoices/{invoiceId}");
        Assert.Equal(("paid", 5_000L, 0L), (sold.GetProperty("status").GetString(), sold.GetProperty("amount_paid").GetInt64(), sold.GetProperty("credits_applied").GetInt64()));
        Assert.Equal((1, 1, 0), fixture.ChargesAtStripe(invoiceId));
        Assert.NotEqual(JsonValueKind.Null, (await Get(tenant, $"/v1/credit_grants/{grantId}")).GetProperty("effective_at").ValueKind);

        await Post(tenant, "/v1/invoice_items", new { customer, amount = 3_000, currency = "usd" });
        var spent = await Post(tenant, "/v1/invoices", new { customer }, "spend-prepaid");
        Assert.Equal((3_000L, 0L, "paid"), (spent.GetProperty("credits_applied").GetInt64(), spent.GetProperty("amount_due").GetInt64(), spent.GetProperty("status").GetString()));
        Assert.Equal(2_000, (await Get(tenant, $"/v1/credit_grants/{grantId}")).GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task PaidCreditGrant_WhoseInvoiceIsDeclined_IsNotSpendable()
    {
        using var tenant = await fixture.TenantAsync(Start);
        var customer = await CustomerAsync(tenant, "pm_card_chargeDeclined");
        var grant = await Post(tenant, "/v1/credit_grants", new { customer, amount = 5_000, currency = "usd", category = "paid" });
        Assert.Equal(("open", JsonValueKind.Null), ((await Get(tenant, $"/v1/invoices/{grant.GetProperty("invoice").GetString()}")).GetProperty("status").GetString(),
            (await Get(tenant, $"/v1/credit_grants/{grant.GetProperty("id").GetString()}")).GetProperty("effective_at").ValueKind));

        await Post(tenant, "/v1/invoice_items", new { customer, amount = 3_000, currency = "usd" });
        var unpaid = await Post(tenant, "/v1/invoices", new { customer, auto_advance = false }, "not-prepaid");
        Assert.Equal((0L, 3_000L), (unpaid.GetProperty("credits_applied").GetInt64(), unpaid.GetProperty("amount_due").GetInt64()));
    }

    [Fact]
    public async Task ExclusiveAndInclusiveTax_OnOneOneOffInvoice_AndAnExemptCustomerPaysNone()
    {
        using var tenant = await fixture.TenantAsync(Start);
        var vat = (await Post(tenant, "/v1/tax_rates", new { display_name = "VAT", percentage = 19, inclusive = false, country = "DE", @default = true }))
            .GetProperty("id").GetString()!;
        var uk = (await Post(tenant, "/v1/tax_rates", new { display_name = "UK VAT", percentage = 20, inclusive = true, country = "GB" })).GetProperty("id").GetString()!;
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        await Post(tenant, "/v1/invoice_items", new { customer, amount = 1_050, currency = "usd", description = "Setup" });
        await Post(tenant, "/v1/invoice_items", new { customer, amount = 1_200, currency = "usd", description = "Support", tax_rates = new[] { uk } });
        var invoice = await Post(tenant, "/v1/invoices", new { customer }, "one-off-tax");

        // 19 % of 1,050 = 199.5 → 200 added; 1,200 with 20 % inside: net 1,000, tax 200.
        var lines = Lines(invoice);
        Assert.Equal((vat, false, 1_050L, 200L), Tax(lines[0]));
        Assert.Equal((uk, true, 1_000L, 200L), Tax(lines[1]));
        Assert.Equal((2_250L, 400L, 2_450L, 2_050L), (invoice.GetProperty("subtotal").GetInt64(), invoice.GetProperty("tax").GetInt64(),
            invoice.GetProperty("total").GetInt64(), invoice.GetProperty("total_excluding_tax").GetInt64()));
        Assert.Equal("paid", invoice.GetProperty("status").GetString());
        Assert.Equal(2_450, fixture.Stripe.State.Get(invoice.GetProperty("payment_intent").GetString()!)!["amount"]!.GetValue<long>());

        var exempt = await CustomerAsync(tenant, "pm_card_visa");
        await Post(tenant, $"/v1/customers/{exempt}/billing", new { tax_exempt = "reverse" });
        await Post(tenant, "/v1/invoice_items", new { customer = exempt, amount = 1_050, currency = "usd" });
        var untaxed = await Post(tenant, "/v1/invoices", new { customer = exempt }, "one-off-exempt");
        Assert.Equal((0L, 1_050L), (untaxed.GetProperty("tax").GetInt64(), untaxed.GetProperty("total").GetInt64()));
    }

    [Theory]
    [InlineData("jpy", 1_500L)]
    [InlineData("kwd", 12_345L)]
    public async Task ZeroAndThreeDecimalCurrencies_AreBilledInTheirMinorUnits_AndTheCurrencyIsFixed(string currency, long amount)
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = await PlanAsync(tenant, amount, currency);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        // A third off as a credit item: ¥1,500 → ¥500 off (whole yen); 12.345 KWD → 4.115 KWD off (whole fils).
        await Post(tenant, "/v1/invoice_items", new { customer, amount = -amount / 3, currency, description = "Goodwill" });
        await fixture.AdvanceAsync(tenant, DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64()) + TimeSpan.FromHours(2));

        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        Assert.Equal(currency, invoice.GetProperty("currency").GetString());
        Assert.Equal(amount - amount / 3, invoice.GetProperty("total").GetInt64());
        var intent = fixture.Stripe.State.Get(invoice.GetProperty("payment_intent").GetString()!)!;
        Assert.Equal((amount - amount / 3, currency), (intent["amount"]!.GetValue<long>(), (string?)intent["currency"]));
        Assert.Equal(currency, (await Get(tenant, $"/v1/customers/{customer}/billing")).GetProperty("currency").GetString());

        var other = currency == "jpy" ? "kwd" : "jpy";
        var mismatch = await tenant.Client.PostAsJsonAsync("/v1/invoice_items", new { customer, amount = 100, currency = other });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal("currency_mismatch", (await mismatch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task PlanPricedInTwoCurrencies_BillsEachCustomerInItsOwn_AndRefusesOneItHasNoPriceIn()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var plan = (await Post(tenant, "/v1/plans", new
        {
            code = "intl-" + Guid.NewGuid().ToString("N")[..6], interval = "month", currency = "usd", amount = 1_000,
            currency_options = new Dictionary<string, object> { ["eur"] = new { amount = 900 }, ["jpy"] = new { amount = 150 } },
        })).GetProperty("id").GetString()!;
        Assert.Equal(900, (await Get(tenant, $"/v1/plans/{plan}")).GetProperty("currency_options").GetProperty("eur").GetProperty("amount").GetInt64());

        var euro = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer = euro, plan, currency = "eur" });
        await fixture.AdvanceAsync(tenant, DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64()) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, euro));
        Assert.Equal(("eur", 900L), (invoice.GetProperty("currency").GetString(), invoice.GetProperty("total").GetInt64()));
        var intent = fixture.Stripe.State.Get(invoice.GetProperty("payment_intent").GetString()!)!;
        Assert.Equal((900L, "eur"), (intent["amount"]!.GetValue<long>(), (string?)intent["currency"]));

        // A customer already billed in KWD: this plan has no KWD price.
        var kwd = await CustomerAsync(tenant, "pm_card_visa");
        await Post(tenant, "/v1/invoice_items", new { customer = kwd, amount = 1_000, currency = "kwd" });
        var refused = await tenant.Client.PostAsJsonAsync("/v1/subscriptions", new { customer = kwd, plan });
        Assert.Equal("currency_mismatch", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var badOption = await tenant.Client.PostAsJsonAsync("/v1/plans", new
        {
            code = "bad-" + Guid.NewGuid().ToString("N")[..6], interval = "month", currency = "usd", amount = 1_000,
            currency_options = new Dictionary<string, object> { ["xyz"] = new { amount = 5 } },
        });
        Assert.Equal("currency_options[xyz]", (await badOption.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("param").GetString());
    }

    [Fact]
    public async Task PlanTaxRates_TaxItsInvoices_AndCreditNoteLines_CreditEachLineAtMostWhatItCharged()
    {
        var start = Start;
        using var tenant = await fixture.TenantAsync(start);
        var gst = (await Post(tenant, "/v1/tax_rates", new { display_name = "GST", percentage = 10, inclusive = false, country = "AU" })).GetProperty("id").GetString()!;
        var plan = (await Post(tenant, "/v1/plans", new
        {
            code = "taxed-" + Guid.NewGuid().ToString("N")[..6], interval = "month", currency = "usd", amount = 1_000, default_tax_rates = new[] { gst },
        })).GetProperty("id").GetString()!;
        var unknownRate = await tenant.Client.PostAsJsonAsync("/v1/plans", new
        {
            code = "untaxed-" + Guid.NewGuid().ToString("N")[..6], interval = "month", currency = "usd", amount = 1_000, default_tax_rates = new[] { "txr_nope" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRate.StatusCode);

        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var subscription = await Post(tenant, "/v1/subscriptions", new { customer, plan });
        await fixture.AdvanceAsync(tenant, DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64()) + TimeSpan.FromHours(2));
        var invoice = Assert.Single(await fixture.InvoicesAsync(tenant, customer));
        Assert.Equal((100L, 1_100L), (invoice.GetProperty("tax").GetInt64(), invoice.GetProperty("total").GetInt64()));
        var line = Lines(invoice)[0].GetProperty("id").GetString()!;
        var invoiceId = invoice.GetProperty("id").GetString()!;

        var note = await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, lines = new[] { new { invoice_line = line, amount = 500 } } }, "cn-lines-1");
        Assert.Equal((500L, line), (note.GetProperty("amount").GetInt64(), note.GetProperty("lines")[0].GetProperty("invoice_line").GetString()));
        var tooMuch = await tenant.Client.SendAsync(Request("/v1/credit_notes", new { invoice = invoiceId, lines = new[] { new { invoice_line = line, amount = 601 } } }, "cn-lines-2"));
        var refusal = await tooMuch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("credit_note_exceeds_invoice", "lines[0][amount]"), (refusal.GetProperty("code").GetString(), refusal.GetProperty("param").GetString()));
        var rest = await Post(tenant, "/v1/credit_notes", new { invoice = invoiceId, lines = new[] { new { invoice_line = line, amount = 600 } } }, "cn-lines-3");
        Assert.Equal(600, rest.GetProperty("amount").GetInt64());
        Assert.Equal(-1_100, (await Get(tenant, $"/v1/customers/{customer}/billing")).GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task InvoiceItems_PendingCanBeDeleted_InvoicedCannot_AndNoItemIsBilledTwice()
    {
        using var tenant = await fixture.TenantAsync(Start);
        var customer = await CustomerAsync(tenant, "pm_card_visa");
        var dropped = await Post(tenant, "/v1/invoice_items", new { customer, amount = 700, currency = "usd" });
        var kept = await Post(tenant, "/v1/invoice_items", new { customer, amount = 900, currency = "usd" });
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.DeleteAsync($"/v1/invoice_items/{dropped.GetProperty("id").GetString()}")).StatusCode);

        var invoice = await Post(tenant, "/v1/invoices", new { customer, auto_advance = false }, "draft-one-off");
        Assert.Equal(("draft", 900L), (invoice.GetProperty("status").GetString(), invoice.GetProperty("total").GetInt64()));
        var deleting = await tenant.Client.DeleteAsync($"/v1/invoice_items/{kept.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.Conflict, deleting.StatusCode);
        Assert.Equal("invoice_item_not_pending", (await deleting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var nothing = await tenant.Client.SendAsync(Request("/v1/invoices", new { customer }, "nothing-left"));
        Assert.Equal("invoice_no_pending_items", (await nothing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var finalized = await Post(tenant, $"/v1/invoices/{invoice.GetProperty("id").GetString()}/finalize", new { });
        Assert.Equal(("paid", 900L), (finalized.GetProperty("status").GetString(), finalized.GetProperty("amount_paid").GetInt64()));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM invoice_lines WHERE tenant_id = $1 AND invoice_item_id = $2",
            tenant.Id, kept.GetProperty("id").GetString()!));
    }

    private static (long, long) Prorate(long from, long to, DateTimeOffset start, DateTimeOffset end, DateTimeOffset at)
    {
        decimal left = (long)(end - at).TotalSeconds, length = (long)(end - start).TotalSeconds;
        return (-(long)Math.Round(from * left / length, MidpointRounding.AwayFromZero), (long)Math.Round(to * left / length, MidpointRounding.AwayFromZero));
    }

    private async Task AssertLedgerSumsAsync(BillingTenant tenant, string customer, long expectedBalance)
    {
        var entries = (await Get(tenant, $"/v1/customers/{customer}/balance_transactions?limit=100")).GetProperty("data").EnumerateArray().Reverse().ToArray();
        long running = 0;
        foreach (var entry in entries)
        {
            running += entry.GetProperty("amount").GetInt64();
            Assert.Equal(running, entry.GetProperty("ending_balance").GetInt64());
        }
        Assert.Equal(expectedBalance, running);
        Assert.Equal(expectedBalance, await fixture.ScalarAsync<long>("SELECT balance FROM customer_billing WHERE tenant_id = $1 AND customer_id = $2", tenant.Id, customer));
    }

    private static (string?, bool, long, long) Tax(JsonElement line)
    {
        var tax = Assert.Single(line.GetProperty("tax_amounts").EnumerateArray());
        return (tax.GetProperty("tax_rate").GetString(), tax.GetProperty("inclusive").GetBoolean(), tax.GetProperty("taxable_amount").GetInt64(), tax.GetProperty("amount").GetInt64());
    }

    private static JsonElement[] Lines(JsonElement invoice) => invoice.GetProperty("lines").GetProperty("data").EnumerateArray().ToArray();

    private static async Task<string> PlanAsync(BillingTenant tenant, long amount, string currency = "usd") =>
        (await Post(tenant, "/v1/plans", new { code = "m-" + Guid.NewGuid().ToString("N")[..8], interval = "month", currency, amount })).GetProperty("id").GetString()!;

    private static async Task<string> CustomerAsync(BillingTenant tenant, string card)
    {
        var customer = (await Post(tenant, "/v1/customers", new { name = "Adjusted", test_clock = tenant.Clock })).GetProperty("id").GetString()!;
        await Post(tenant, $"/v1/payment_methods/{card}/attach", new { customer });
        return customer;
    }

    private static HttpRequestMessage Request(string path, object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    private static async Task<JsonElement> Post(BillingTenant tenant, string path, object body, string? idempotencyKey = null) =>
        await ClusterFixture.Json(await tenant.Client.SendAsync(Request(path, body, idempotencyKey)));

    private static async Task<JsonElement> Get(BillingTenant tenant, string path) => await ClusterFixture.Json(await tenant.Client.GetAsync(path));
}
