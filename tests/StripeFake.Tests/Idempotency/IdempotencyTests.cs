using System.Net;
using Stripe;

namespace Platform.StripeFake.Tests.Idempotency;

[Collection(StripeFakeCollection.Name)]
public sealed class IdempotencyTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_SameKeySameParameters_ReplaysOnePaymentIntent()
    {
        var client = fixture.CreateClient();
        var key = Guid.NewGuid().ToString();
        var options = new PaymentIntentCreateOptions { Amount = 1200, Currency = "usd", PaymentMethod = "pm_card_visa", Confirm = true };

        var first = await client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key });
        var second = await client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key });

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
        Assert.Equal("true", second.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Contains(fixture.Server.Requests.Entries, r => r.IdempotencyKey == key && r.Replayed);
    }

    [Fact]
    public async Task Create_SameKeyDifferentParameters_ThrowsIdempotencyError()
    {
        var client = fixture.CreateClient();
        var key = Guid.NewGuid().ToString();
        await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1000, Currency = "usd" }, new RequestOptions { IdempotencyKey = key });

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions { Amount = 2000, Currency = "usd" }, new RequestOptions { IdempotencyKey = key }));

        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("idempotency_error", error.StripeError.Type);
        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
    }

    [Fact]
    public async Task Create_DeclinedThenRetriedWithSameKey_ReplaysTheDecline()
    {
        var client = fixture.CreateClient();
        var key = Guid.NewGuid().ToString();
        var options = new PaymentIntentCreateOptions { Amount = 900, Currency = "usd", PaymentMethod = "pm_card_chargeDeclined", Confirm = true };

        var first = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key }));
        var second = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key }));

        Assert.Equal(first.StripeError.PaymentIntent.Id, second.StripeError.PaymentIntent.Id);
        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
    }
}
