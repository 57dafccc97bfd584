using System.Net;
using Stripe;

namespace Platform.StripeFake.Tests.Refunds;

[Collection(StripeFakeCollection.Name)]
public sealed class RefundsApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_PartialThenRemaining_RefundsChargeFully()
    {
        var client = fixture.CreateClient();
        var payment = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 1000,
            Currency = "usd",
            PaymentMethod = "pm_card_visa",
            Confirm = true,
        });

        var partial = await client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Id, Amount = 300 });
        var afterPartial = await client.V1.Charges.GetAsync(payment.LatestChargeId);
        var rest = await client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Id });
        var afterFull = await client.V1.Charges.GetAsync(payment.LatestChargeId);

        Assert.StartsWith("re_", partial.Id, StringComparison.Ordinal);
        Assert.Equal("succeeded", partial.Status);
        Assert.Equal(300, partial.Amount);
        Assert.Equal(300, afterPartial.AmountRefunded);
        Assert.False(afterPartial.Refunded);
        Assert.Equal(700, rest.Amount);
        Assert.Equal(1000, afterFull.AmountRefunded);
        Assert.True(afterFull.Refunded);
    }

    [Fact]
    public async Task Create_AboveRemaining_Throws400InvalidRequest()
    {
        var client = fixture.CreateClient();
        var payment = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 1000,
            Currency = "usd",
            PaymentMethod = "pm_card_visa",
            Confirm = true,
        });
        await client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Id, Amount = 600 });

        var error = await Assert.ThrowsAsync<StripeException>(() =>
            client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Id, Amount = 500 }));

        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.Equal("amount", error.StripeError.Param);
    }
}
