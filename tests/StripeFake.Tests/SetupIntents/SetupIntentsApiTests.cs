using Stripe;

namespace Platform.StripeFake.Tests.SetupIntents;

[Collection(StripeFakeCollection.Name)]
public sealed class SetupIntentsApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Confirm_WithTestCard_SucceedsAttachesAndLists()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);

        var setupIntent = await client.V1.SetupIntents.CreateAsync(new SetupIntentCreateOptions
        {
            Customer = customer.Id,
            Usage = "off_session",
            Metadata = new Dictionary<string, string> { ["purpose"] = "test" },
        });
        var confirmed = await client.V1.SetupIntents.ConfirmAsync(setupIntent.Id, new SetupIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        var listed = await client.V1.PaymentMethods.ListAsync(new PaymentMethodListOptions { Customer = customer.Id, Type = "card" });
        var forCustomer = await client.V1.Customers.PaymentMethods.ListAsync(customer.Id);

        Assert.Equal("requires_payment_method", setupIntent.Status);
        Assert.StartsWith(setupIntent.Id + "_secret_", setupIntent.ClientSecret, StringComparison.Ordinal);
        Assert.Equal("succeeded", confirmed.Status);
        var paymentMethod = Assert.Single(listed.Data);
        Assert.Equal(confirmed.PaymentMethodId, paymentMethod.Id);
        Assert.StartsWith("pm_", paymentMethod.Id, StringComparison.Ordinal);
        Assert.NotEqual("pm_card_visa", paymentMethod.Id);
        Assert.Equal("visa", paymentMethod.Card.Brand);
        Assert.Equal("4242", paymentMethod.Card.Last4);
        Assert.Equal(customer.Id, paymentMethod.CustomerId);
        Assert.Equal(paymentMethod.Id, Assert.Single(forCustomer.Data).Id);
    }

    [Fact]
    public async Task Detach_AttachedCard_RemovesItFromTheList()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var attached = await client.V1.PaymentMethods.AttachAsync("pm_card_mastercard", new PaymentMethodAttachOptions { Customer = customer.Id });

        var detached = await client.V1.PaymentMethods.DetachAsync(attached.Id);
        var listed = await client.V1.PaymentMethods.ListAsync(new PaymentMethodListOptions { Customer = customer.Id, Type = "card" });

        Assert.Equal("mastercard", attached.Card.Brand);
        Assert.Null(detached.CustomerId);
        Assert.Empty(listed.Data);
    }
}
