using Stripe;
using Stripe.Billing;

namespace Platform.StripeFake.Tests.Invoices;

[Collection(StripeFakeCollection.Name)]
public sealed class InvoicesApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task EndPeriod_FlatFeeAndGraduatedUsage_InvoicesEachItemAndSendsSignedEvents()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var (meter, usagePrice) = await MeteredPriceAsync(client, [(1_000, 0, 2_000), (null, 3, null)]);
        var flatPrice = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Currency = "usd",
            ProductData = new PriceProductDataOptions { Name = "Base" },
            UnitAmount = 4_900,
            Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var subscription = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = flatPrice.Id }, new SubscriptionItemOptions { Price = usagePrice.Id }],
        });
        foreach (var value in new[] { "700", "800" })
        {
            await client.V1.Billing.MeterEvents.CreateAsync(new MeterEventCreateOptions
            {
                EventName = meter.EventName,
                Payload = new Dictionary<string, string> { ["stripe_customer_id"] = customer.Id, ["value"] = value },
            });
        }

        fixture.Server.EndSubscriptionPeriod(subscription.Id);
        var invoices = await client.V1.Invoices.ListAsync(new InvoiceListOptions { Subscription = subscription.Id });
        var cycle = invoices.Data.First();
        var paid = await fixture.Receiver.WaitForAsync("invoice.paid", cycle.Id);
        await fixture.Receiver.WaitForAsync("invoice.updated", cycle.Id);
        var renewed = await client.V1.Subscriptions.GetAsync(subscription.Id);

        Assert.Equal(2, invoices.Data.Count); // the first period's and the cycle's
        Assert.Equal(4_900, invoices.Data[1].Total);
        Assert.Single(invoices.Data[1].Lines.Data); // usage is billed in arrears, not on the first invoice
        Assert.Equal("subscription_cycle", cycle.BillingReason);
        Assert.Equal("paid", cycle.Status);
        Assert.Equal(4_900 + 2_000 + (500 * 3), cycle.Total);
        var usageLine = Assert.Single(cycle.Lines.Data, l => l.Pricing.PriceDetails.PriceId == usagePrice.Id);
        Assert.Equal(1_500, usageLine.Quantity);
        Assert.Equal(3_500, usageLine.Amount);
        Assert.Equal(subscription.Items.Data[0].CurrentPeriodStart, usageLine.Period.Start); // the period that ended
        var flatLine = Assert.Single(cycle.Lines.Data, l => l.Pricing.PriceDetails.PriceId == flatPrice.Id);
        Assert.Equal(renewed.Items.Data[0].CurrentPeriodStart, flatLine.Period.Start); // the period it pays for
        Assert.Equal(subscription.Items.Data[0].CurrentPeriodEnd, renewed.Items.Data[0].CurrentPeriodStart);
        Assert.Equal(cycle.Id, renewed.LatestInvoiceId);
        var stripeEvent = EventUtility.ConstructEvent(paid.Body, paid.Signature, fixture.Server.Options.WebhookSecret);
        Assert.Equal(cycle.Id, ((Invoice)stripeEvent.Data.Object).Id);
        var types = fixture.Server.Webhooks.Events.Where(e => (string?)e["data"]!["object"]!["id"] == cycle.Id).Select(e => (string?)e["type"]).ToList();
        Assert.Equal(["invoice.created", "invoice.finalized", "invoice.updated", "invoice.paid", "invoice.updated"], types);
    }

    [Fact]
    public async Task EndPeriod_DecliningCard_LeavesInvoiceOpenUntilPaidWithAnotherCard()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var (_, usagePrice) = await MeteredPriceAsync(client, [(10, 100, 100), (null, 50, null)], tiersMode: "volume");
        var declining = await client.V1.PaymentMethods.AttachAsync("pm_card_chargeDeclined", new PaymentMethodAttachOptions { Customer = customer.Id });
        var subscription = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = "price_basic" }, new SubscriptionItemOptions { Price = usagePrice.Id }],
        });
        await client.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions { DefaultPaymentMethod = declining.Id });
        fixture.Server.EndSubscriptionPeriod(subscription.Id);
        var pastDue = await client.V1.Subscriptions.GetAsync(subscription.Id);
        var open = await client.V1.Invoices.GetAsync(pastDue.LatestInvoiceId);

        var refused = await Assert.ThrowsAsync<StripeException>(() => client.V1.Invoices.PayAsync(open.Id));
        var paid = await client.V1.Invoices.PayAsync(open.Id, new InvoicePayOptions { PaymentMethod = (await client.V1.PaymentMethods.AttachAsync("pm_card_visa", new PaymentMethodAttachOptions { Customer = customer.Id })).Id });
        var active = await client.V1.Subscriptions.GetAsync(subscription.Id);
        var again = await Assert.ThrowsAsync<StripeException>(() => client.V1.Invoices.VoidInvoiceAsync(open.Id));

        Assert.Equal("past_due", pastDue.Status);
        Assert.Equal("open", open.Status);
        Assert.Equal(1_000 + 100, open.AmountDue); // price_basic + the first volume tier's 100 at 0 units
        Assert.Equal("card_declined", refused.StripeError.Code);
        Assert.Equal("paid", paid.Status);
        Assert.Equal(open.AmountDue, paid.AmountPaid);
        Assert.Equal("active", active.Status);
        Assert.Equal("invoice_not_editable", again.StripeError.Code);
    }

    [Fact]
    public async Task VoidAndMarkUncollectible_OpenInvoices_MoveWithTheirEvents()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var visa = await client.V1.PaymentMethods.AttachAsync("pm_card_visa", new PaymentMethodAttachOptions { Customer = customer.Id });
        var declining = await client.V1.PaymentMethods.AttachAsync("pm_card_chargeDeclined", new PaymentMethodAttachOptions { Customer = customer.Id });
        var subscription = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = "price_basic" }],
            DefaultPaymentMethod = visa.Id,
        });
        await client.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions { DefaultPaymentMethod = declining.Id });
        fixture.Server.EndSubscriptionPeriod(subscription.Id);
        var first = (await client.V1.Subscriptions.GetAsync(subscription.Id)).LatestInvoiceId;
        fixture.Server.EndSubscriptionPeriod(subscription.Id);
        var second = (await client.V1.Subscriptions.GetAsync(subscription.Id)).LatestInvoiceId;

        var voided = await client.V1.Invoices.VoidInvoiceAsync(first);
        var uncollectible = await client.V1.Invoices.MarkUncollectibleAsync(second);
        await fixture.Receiver.WaitForAsync("invoice.voided", first);
        await fixture.Receiver.WaitForAsync("invoice.marked_uncollectible", second);
        var byCustomer = await client.V1.Invoices.ListAsync(new InvoiceListOptions { Customer = customer.Id });
        var open = await client.V1.Invoices.ListAsync(new InvoiceListOptions { Customer = customer.Id, Status = "open" });

        Assert.Equal("void", voided.Status);
        Assert.NotNull(voided.StatusTransitions.VoidedAt);
        Assert.Equal("uncollectible", uncollectible.Status);
        Assert.Equal([second, first, subscription.LatestInvoiceId], byCustomer.Data.Select(i => i.Id));
        Assert.Empty(open.Data);
    }

    private async Task<(Meter Meter, Price Price)> MeteredPriceAsync(StripeClient client, (long? UpTo, long? Unit, long? Flat)[] tiers, string tiersMode = "graduated")
    {
        var meter = await client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = "Calls",
            EventName = "calls_" + Guid.NewGuid().ToString("N")[..8],
            DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
        });
        var price = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Currency = "usd",
            ProductData = new PriceProductDataOptions { Name = "Calls" },
            Recurring = new PriceRecurringOptions { Interval = "month", UsageType = "metered", Meter = meter.Id },
            BillingScheme = "tiered",
            TiersMode = tiersMode,
            Tiers = [.. tiers.Select(t => new PriceTierOptions { UpTo = t.UpTo is { } upTo ? upTo : PriceTierUpTo.Inf, UnitAmount = t.Unit, FlatAmount = t.Flat })],
        });
        return (meter, price);
    }
}
