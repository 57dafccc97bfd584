using Stripe;

namespace Platform.StripeFake.Tests.Webhooks;

[Collection(StripeFakeCollection.Name)]
public sealed class WebhookDeliveryTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task PaymentSucceeded_IsDeliveredSigned_AndVerifiesWithEventUtility()
    {
        var client = fixture.CreateClient();
        var key = Guid.NewGuid().ToString();
        var payment = await client.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions { Amount = 4200, Currency = "usd", PaymentMethod = "pm_card_visa", Confirm = true },
            new RequestOptions { IdempotencyKey = key });

        var webhook = await fixture.Receiver.WaitForAsync("payment_intent.succeeded", payment.Id);
        var stripeEvent = EventUtility.ConstructEvent(webhook.Body, webhook.Signature, fixture.Server.Options.WebhookSecret);

        Assert.StartsWith("evt_", stripeEvent.Id, StringComparison.Ordinal);
        Assert.Equal(EventTypes.PaymentIntentSucceeded, stripeEvent.Type);
        Assert.Equal(StripeConfiguration.ApiVersion, stripeEvent.ApiVersion);
        Assert.Equal(key, stripeEvent.Request.IdempotencyKey);
        var delivered = Assert.IsType<PaymentIntent>(stripeEvent.Data.Object);
        Assert.Equal(payment.Id, delivered.Id);
        Assert.Equal(4200, delivered.AmountReceived);
    }

    [Fact]
    public async Task Delivery_ReceiverFailsTwice_IsRetriedUntilAccepted()
    {
        var client = fixture.CreateClient();
        fixture.Receiver.FailNext(2);

        var customer = await fixture.NewCustomerAsync(client);
        await fixture.Receiver.WaitForAsync("customer.created", customer.Id);

        var attempts = fixture.Server.Webhooks.Deliveries.Where(d => d.Type == "customer.created").ToList();
        Assert.Contains(attempts, d => d.Succeeded);
    }

    [Fact]
    public async Task Resend_DeliveredEvent_IsDeliveredAgain()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var first = await fixture.Receiver.WaitForAsync("customer.created", customer.Id);
        var eventId = EventUtility.ParseEvent(first.Body).Id;

        Assert.True(fixture.Server.Webhooks.Resend(eventId));
        await WaitUntilAsync(() => fixture.Receiver.Received.Count(r => r.ObjectId == customer.Id && r.Type == "customer.created") == 2);
    }

    [Fact]
    public void SignPayload_CraftedEvent_VerifiesWithEventUtility()
    {
        var payload = $$$"""{"id":"evt_crafted","object":"event","api_version":"{{{StripeConfiguration.ApiVersion}}}","created":1,"data":{"object":{"id":"cus_x","object":"customer"}},"livemode":false,"pending_webhooks":0,"request":{"id":null,"idempotency_key":null},"type":"customer.updated"}""";

        var header = fixture.Server.SignPayload(payload);
        var stripeEvent = EventUtility.ConstructEvent(payload, header, fixture.Server.Options.WebhookSecret);

        Assert.Equal("evt_crafted", stripeEvent.Id);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
