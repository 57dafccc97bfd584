using Stripe;
using Stripe.Checkout;

namespace Platform.StripeFake.Tests.Checkout;

[Collection(StripeFakeCollection.Name)]
public sealed class CheckoutSessionsApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Complete_SubscriptionMode_CreatesSubscriptionAndEmitsCompleted()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);

        var session = await client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            LineItems = [new SessionLineItemOptions { Price = "price_pro_monthly", Quantity = 1 }],
            SuccessUrl = "https://app.example.com/done?session={CHECKOUT_SESSION_ID}",
            CancelUrl = "https://app.example.com/cancel",
            Metadata = new Dictionary<string, string> { ["tenant"] = "ten_1" },
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string> { ["plan"] = "pro" } },
        });
        fixture.Server.CompleteCheckoutSession(session.Id);
        var completed = await client.V1.Checkout.Sessions.GetAsync(session.Id);
        var webhook = await fixture.Receiver.WaitForAsync("checkout.session.completed", session.Id);
        var subscription = await client.V1.Subscriptions.GetAsync(completed.SubscriptionId);

        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.Equal($"{fixture.Server.BaseUrl}/checkout/{session.Id}", session.Url);
        Assert.Equal("open", session.Status);
        Assert.Equal("complete", completed.Status);
        Assert.Equal("paid", completed.PaymentStatus);
        Assert.Equal("active", subscription.Status);
        Assert.Equal("pro", subscription.Metadata["plan"]);
        Assert.Equal("price_pro_monthly", Assert.Single(subscription.Items.Data).Price.Id);
        Assert.NotNull(EventUtility.ConstructEvent(webhook.Body, webhook.Signature, fixture.Server.Options.WebhookSecret));
    }
}
