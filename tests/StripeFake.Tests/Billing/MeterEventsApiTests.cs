using Stripe.Billing;

namespace Platform.StripeFake.Tests.Billing;

[Collection(StripeFakeCollection.Name)]
public sealed class MeterEventsApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_RepeatedIdentifier_CountsOnce()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        MeterEventCreateOptions Event(string identifier, string value) => new()
        {
            EventName = "api_requests",
            Identifier = identifier,
            Payload = new Dictionary<string, string> { ["stripe_customer_id"] = customer.Id, ["value"] = value },
        };

        var first = await client.V1.Billing.MeterEvents.CreateAsync(Event("use_1", "5"));
        await client.V1.Billing.MeterEvents.CreateAsync(Event("use_1", "5"));
        await client.V1.Billing.MeterEvents.CreateAsync(Event("use_2", "7"));

        Assert.Equal("use_1", first.Identifier);
        Assert.Equal("api_requests", first.EventName);
        Assert.Equal(12m, fixture.Server.State.GetMeterTotal(customer.Id, "api_requests"));
        Assert.Equal(2, fixture.Server.State.GetMeterEventCount(customer.Id, "api_requests"));
    }
}
