using Stripe;

namespace Platform.StripeFake.Tests.Subscriptions;

[Collection(StripeFakeCollection.Name)]
public sealed class SubscriptionsApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_WithTrial_IsTrialingThenMovesThroughStatuses()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);

        var subscription = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = "price_basic" }],
            TrialPeriodDays = 14,
            Metadata = new Dictionary<string, string> { ["tenant"] = "ten_1" },
        });
        fixture.Server.SetSubscriptionStatus(subscription.Id, "active");
        fixture.Server.SetSubscriptionStatus(subscription.Id, "past_due");
        var pastDue = await client.V1.Subscriptions.GetAsync(subscription.Id);
        var canceled = await client.V1.Subscriptions.CancelAsync(subscription.Id);
        await fixture.Receiver.WaitForAsync("customer.subscription.deleted", subscription.Id);

        Assert.Equal("trialing", subscription.Status);
        Assert.Equal("past_due", pastDue.Status);
        Assert.Equal("canceled", canceled.Status);
        var types = fixture.Server.Webhooks.Events
            .Where(e => (string?)e["data"]!["object"]!["id"] == subscription.Id)
            .Select(e => (string?)e["type"])
            .ToList();
        Assert.Equal(
            ["customer.subscription.created", "customer.subscription.updated", "customer.subscription.updated", "customer.subscription.deleted"],
            types);
    }

    [Fact]
    public async Task Update_CancelAtPeriodEnd_EmitsUpdatedWithPreviousAttributes()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var subscription = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = "price_basic", Quantity = 2 }],
        });

        var updated = await client.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions
        {
            CancelAtPeriodEnd = true,
            ProrationBehavior = "none",
        });
        var webhook = await fixture.Receiver.WaitForAsync("customer.subscription.updated", subscription.Id);
        var stripeEvent = EventUtility.ConstructEvent(webhook.Body, webhook.Signature, fixture.Server.Options.WebhookSecret);

        Assert.Equal("active", subscription.Status);
        Assert.True(updated.CancelAtPeriodEnd);
        Assert.NotNull(stripeEvent.Data.PreviousAttributes);
    }
}
