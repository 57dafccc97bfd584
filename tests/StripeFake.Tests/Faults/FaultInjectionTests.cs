using System.Net;
using Stripe;

namespace Platform.StripeFake.Tests.Faults;

[Collection(StripeFakeCollection.Name)]
public sealed class FaultInjectionTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_AfterInjected500_SucceedsThroughStripeNetRetry()
    {
        var client = fixture.CreateClient(maxNetworkRetries: 2);
        var key = Guid.NewGuid().ToString();
        fixture.Server.Faults.FailNext("/v1/payment_intents", count: 1);

        var created = await client.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions { Amount = 1500, Currency = "usd" }, new RequestOptions { IdempotencyKey = key });

        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
        var attempts = fixture.Server.Requests.Entries.Where(r => r.IdempotencyKey == key).Select(r => r.StatusCode);
        Assert.Equal([500, 200], attempts);
    }

    [Fact]
    public async Task Create_AfterInjected500WithoutRetries_ThrowsThenSecondCallSucceeds()
    {
        var client = fixture.CreateClient(maxNetworkRetries: 0);
        var key = Guid.NewGuid().ToString();
        var options = new PaymentIntentCreateOptions { Amount = 1500, Currency = "usd" };
        fixture.Server.Faults.FailNext("/v1/payment_intents");

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key }));
        var created = await client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key });

        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatusCode);
        Assert.Equal("api_error", error.StripeError.Type);
        Assert.StartsWith("pi_", created.Id, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
    }

    [Fact]
    public async Task Create_CommitThenResponseDelayed_ClientTimeoutRetryYieldsOnePaymentIntent()
    {
        var client = fixture.CreateClient(maxNetworkRetries: 2, timeout: TimeSpan.FromMilliseconds(800));
        var key = Guid.NewGuid().ToString();
        fixture.Server.Faults.DelayResponseAfterCommit("/v1/payment_intents", TimeSpan.FromSeconds(10));

        var created = await client.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions { Amount = 5000, Currency = "usd", PaymentMethod = "pm_card_visa", Confirm = true },
            new RequestOptions { IdempotencyKey = key });

        Assert.Equal("succeeded", created.Status);
        Assert.True(fixture.Server.Requests.Entries.Count(r => r.IdempotencyKey == key) >= 2);
        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
        Assert.Equal(1, fixture.Server.State.List("charge").Count(c => (string?)c["payment_intent"] == created.Id));
    }

    [Fact]
    public async Task Create_CommitThenConnectionDropped_RetryWithSameKeyYieldsOnePaymentIntent()
    {
        var client = fixture.CreateClient(maxNetworkRetries: 0);
        var key = Guid.NewGuid().ToString();
        var options = new PaymentIntentCreateOptions { Amount = 3000, Currency = "usd" };
        fixture.Server.Faults.DropResponseAfterCommit("/v1/payment_intents");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key }));
        var created = await client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = key });

        Assert.Equal(1, fixture.Server.State.CountPaymentIntentsCreated(key));
        Assert.Equal("true", created.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task Create_RateLimited_Throws429RateLimit()
    {
        var client = fixture.CreateClient(maxNetworkRetries: 0);
        fixture.Server.Faults.RateLimitNext("/v1/customers");

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.Customers.CreateAsync(new CustomerCreateOptions()));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.HttpStatusCode);
        Assert.Equal("rate_limit", error.StripeError.Code);
    }

    [Fact]
    public async Task ControlEndpoint_FaultArmedOverHttp_FailsNextRequestAndIsLogged()
    {
        var client = fixture.CreateClient(maxNetworkRetries: 0);
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        using var body = new StringContent("""{"kind":"error","path_prefix":"/v1/setup_intents","count":1,"status":503}""", System.Text.Encoding.UTF8, "application/json");

        var armed = await http.PostAsync("/_fake/faults", body);
        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.SetupIntents.CreateAsync(new SetupIntentCreateOptions()));
        var log = await http.GetStringAsync("/_fake/requests");

        Assert.Equal(HttpStatusCode.OK, armed.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatusCode);
        Assert.Contains("\"fault\":\"ServerError\"", log, StringComparison.Ordinal);
    }
}
