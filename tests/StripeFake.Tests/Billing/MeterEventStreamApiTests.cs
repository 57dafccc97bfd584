using System.Net;
using Microsoft.Extensions.Time.Testing;
using Stripe;
using Stripe.V2;
using Stripe.V2.Billing;

namespace Platform.StripeFake.Tests.Billing;

[Collection(StripeFakeCollection.Name)]
public sealed class MeterEventStreamApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Stream_RepeatedIdentifiers_CountsEachOnce()
    {
        var customer = await fixture.NewCustomerAsync(fixture.CreateClient());
        var stream = await StreamClientAsync(fixture.Server);

        await stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, ("use_a", "5"), ("use_b", "7")));
        await stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, ("use_a", "5"), ("use_c", "1.5")));

        Assert.Equal(13.5m, fixture.Server.State.GetMeterTotal(customer.Id, "api_requests"));
        Assert.Equal(3, fixture.Server.State.GetMeterEventCount(customer.Id, "api_requests"));
    }

    [Fact]
    public async Task Stream_MoreThan100Events_RefusesTheWholeRequest()
    {
        var customer = await fixture.NewCustomerAsync(fixture.CreateClient());
        var stream = await StreamClientAsync(fixture.Server);
        var events = Enumerable.Range(0, 101).Select(i => ("use_many_" + Guid.NewGuid().ToString("N") + i, "1")).ToArray();

        var refused = await Assert.ThrowsAnyAsync<StripeException>(() => stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, events)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.HttpStatusCode);
        Assert.Equal(0, fixture.Server.State.GetMeterEventCount(customer.Id, "api_requests"));
    }

    [Fact]
    public async Task Stream_NonNumericValue_RefusesWithTheEventsParam()
    {
        var customer = await fixture.NewCustomerAsync(fixture.CreateClient());
        var stream = await StreamClientAsync(fixture.Server);

        var refused = await Assert.ThrowsAnyAsync<StripeException>(() =>
            stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, ("use_ok_" + Guid.NewGuid().ToString("N"), "1"), ("use_bad", "lots"))));

        Assert.Equal(HttpStatusCode.BadRequest, refused.HttpStatusCode);
        Assert.Equal("events[1].payload.value", refused.StripeError.Param);
        Assert.Equal(0, fixture.Server.State.GetMeterEventCount(customer.Id, "api_requests"));
    }

    [Fact]
    public async Task Stream_UnknownCustomer_AcceptedThenRecordedAsAsyncError()
    {
        var stream = await StreamClientAsync(fixture.Server);
        var identifier = "use_ghost_" + Guid.NewGuid().ToString("N");

        await stream.V2.Billing.MeterEventStream.CreateAsync(Batch("cus_doesnotexist", (identifier, "3")));

        var error = Assert.Single(fixture.Server.State.MeterEventErrors, e => e.Identifier == identifier);
        Assert.Equal("meter_event_customer_not_found", error.Code);
        Assert.False(fixture.Server.State.HasMeterEvent(identifier));
    }

    [Fact]
    public async Task Stream_SecretKeyInsteadOfSessionToken_Is401()
    {
        var customer = await fixture.NewCustomerAsync(fixture.CreateClient());
        var notASession = Client(fixture.Server, StripeFakeFixture.ApiKey);

        var refused = await Assert.ThrowsAnyAsync<StripeException>(() =>
            notASession.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, ("use_nosession", "1"))));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
        Assert.False(fixture.Server.State.HasMeterEvent("use_nosession"));
    }

    [Fact]
    public async Task Stream_AfterSessionExpiry_ThrowsTemporarySessionExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StripeFakeServer.StartAsync(new StripeFakeOptions { TimeProvider = clock });
        var customer = await StripeFakeFixture.CreateClient(server).V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Meter" });
        var session = await Client(server, StripeFakeFixture.ApiKey).V2.Billing.MeterEventSession.CreateAsync(new MeterEventSessionCreateOptions());
        Assert.Equal(15, (session.ExpiresAt - session.Created).TotalMinutes, precision: 3);
        var stream = Client(server, session.AuthenticationToken);
        await stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, ("use_before", "1")));

        clock.Advance(TimeSpan.FromMinutes(15));
        await Assert.ThrowsAsync<TemporarySessionExpiredException>(() =>
            stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, ("use_after", "1"))));

        Assert.True(server.State.HasMeterEvent("use_before"));
        Assert.False(server.State.HasMeterEvent("use_after"));
    }

    [Fact]
    public async Task Stream_InjectedRefusalForOneIdentifier_RefusesOnlyRequestsCarryingIt()
    {
        var customer = await fixture.NewCustomerAsync(fixture.CreateClient());
        var stream = await StreamClientAsync(fixture.Server);
        var bad = "use_refused_" + Guid.NewGuid().ToString("N");
        var good = "use_fine_" + Guid.NewGuid().ToString("N");
        fixture.Server.Faults.RefuseNext("/v2/billing/meter_event_stream", bad, count: 5, code: "parameter_invalid");

        await Assert.ThrowsAnyAsync<StripeException>(() => stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, (bad, "1"), (good, "1"))));
        await stream.V2.Billing.MeterEventStream.CreateAsync(Batch(customer.Id, (good, "1")));
        fixture.Server.Faults.Clear();

        Assert.True(fixture.Server.State.HasMeterEvent(good));
        Assert.False(fixture.Server.State.HasMeterEvent(bad));
    }

    private static async Task<StripeClient> StreamClientAsync(StripeFakeServer server)
    {
        var session = await Client(server, StripeFakeFixture.ApiKey).V2.Billing.MeterEventSession.CreateAsync(new MeterEventSessionCreateOptions());
        Assert.Equal("v2.billing.meter_event_session", session.Object);
        return Client(server, session.AuthenticationToken);
    }

    private static StripeClient Client(StripeFakeServer server, string apiKey) => new(new StripeClientOptions
    {
        ApiKey = apiKey,
        ApiBase = server.BaseUrl,
        MeterEventsBase = server.BaseUrl,
        HttpClient = new SystemNetHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, 0),
    });

    private static MeterEventStreamCreateOptions Batch(string customerId, params (string Identifier, string Value)[] events) => new()
    {
        Events = events.Select(e => new MeterEventStreamCreateEventOptions
        {
            EventName = "api_requests",
            Identifier = e.Identifier,
            Timestamp = DateTime.UtcNow,
            Payload = new Dictionary<string, string> { ["stripe_customer_id"] = customerId, ["value"] = e.Value },
        }).ToList(),
    };
}
