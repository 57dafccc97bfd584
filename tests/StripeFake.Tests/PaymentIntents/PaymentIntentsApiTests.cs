using System.Net;
using Stripe;

namespace Platform.StripeFake.Tests.PaymentIntents;

[Collection(StripeFakeCollection.Name)]
public sealed class PaymentIntentsApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task CreateAndConfirm_WithVisa_Succeeds()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);

        var created = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 2500,
            Currency = "usd",
            Customer = customer.Id,
            Metadata = new Dictionary<string, string> { ["order"] = "o_1" },
        });
        var confirmed = await client.V1.PaymentIntents.ConfirmAsync(created.Id, new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        var listed = await client.V1.PaymentIntents.ListAsync(new PaymentIntentListOptions { Customer = customer.Id });

        Assert.Equal("requires_payment_method", created.Status);
        Assert.Equal("succeeded", confirmed.Status);
        Assert.Equal(2500, confirmed.AmountReceived);
        Assert.StartsWith("ch_", confirmed.LatestChargeId, StringComparison.Ordinal);
        Assert.Equal("o_1", confirmed.Metadata["order"]);
        Assert.Equal(created.Id, Assert.Single(listed.Data).Id);
    }

    [Fact]
    public async Task Create_ConfirmWithDeclinedCard_Throws402GenericDecline()
    {
        var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 1000,
            Currency = "usd",
            PaymentMethod = "pm_card_chargeDeclined",
            Confirm = true,
        }));

        Assert.Equal(HttpStatusCode.PaymentRequired, error.HttpStatusCode);
        Assert.Equal("card_error", error.StripeError.Type);
        Assert.Equal("card_declined", error.StripeError.Code);
        Assert.Equal("generic_decline", error.StripeError.DeclineCode);
        Assert.Equal("requires_payment_method", error.StripeError.PaymentIntent.Status);
        var stored = await client.V1.PaymentIntents.GetAsync(error.StripeError.PaymentIntent.Id);
        Assert.Equal("requires_payment_method", stored.Status);
        Assert.Equal("generic_decline", stored.LastPaymentError.DeclineCode);
    }

    [Fact]
    public async Task Confirm_InsufficientFunds_Throws402InsufficientFunds()
    {
        var client = fixture.CreateClient();
        var created = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1000, Currency = "usd" });

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.ConfirmAsync(
            created.Id, new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_chargeDeclinedInsufficientFunds" }));

        Assert.Equal(HttpStatusCode.PaymentRequired, error.HttpStatusCode);
        Assert.Equal("insufficient_funds", error.StripeError.DeclineCode);
    }

    [Fact]
    public async Task Confirm_ThreeDSecureCard_RequiresActionUntilAuthenticated()
    {
        var client = fixture.CreateClient();

        var created = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 1000,
            Currency = "eur",
            PaymentMethod = "pm_card_threeDSecureRequired",
            Confirm = true,
        });
        fixture.Server.AuthenticatePaymentIntent(created.Id);
        var after = await client.V1.PaymentIntents.GetAsync(created.Id);

        Assert.Equal("requires_action", created.Status);
        Assert.Equal("succeeded", after.Status);
    }

    [Fact]
    public async Task Cancel_RequiresPaymentMethod_Canceled()
    {
        var client = fixture.CreateClient();
        var created = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 700, Currency = "usd" });

        var canceled = await client.V1.PaymentIntents.CancelAsync(created.Id, new PaymentIntentCancelOptions { CancellationReason = "requested_by_customer" });

        Assert.Equal("canceled", canceled.Status);
        Assert.Equal("requested_by_customer", canceled.CancellationReason);
    }
}
