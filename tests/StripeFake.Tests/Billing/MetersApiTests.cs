using Stripe;
using Stripe.Billing;

namespace Platform.StripeFake.Tests.Billing;

[Collection(StripeFakeCollection.Name)]
public sealed class MetersApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_ThenEventsUnderItsPayloadKeys_AreSummarizedPerCustomer()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var other = await fixture.NewCustomerAsync(client);
        var eventName = "calls_" + Guid.NewGuid().ToString("N")[..8];
        var meter = await client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = "API calls",
            EventName = eventName,
            DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
            CustomerMapping = new MeterCustomerMappingOptions { EventPayloadKey = "account", Type = "by_id" },
            ValueSettings = new MeterValueSettingsOptions { EventPayloadKey = "calls" },
        });
        MeterEventCreateOptions Event(string who, string calls) => new()
        {
            EventName = eventName,
            Payload = new Dictionary<string, string> { ["account"] = who, ["calls"] = calls },
        };
        await client.V1.Billing.MeterEvents.CreateAsync(Event(customer.Id, "3"));
        await client.V1.Billing.MeterEvents.CreateAsync(Event(customer.Id, "4"));
        await client.V1.Billing.MeterEvents.CreateAsync(Event(other.Id, "100"));
        var now = DateTime.UtcNow;

        var summaries = await client.V1.Billing.Meters.EventSummaries.ListAsync(meter.Id, new MeterEventSummaryListOptions
        {
            Customer = customer.Id,
            StartTime = now.AddHours(-1),
            EndTime = now.AddHours(1),
        });
        var duplicate = await Assert.ThrowsAsync<StripeException>(() => client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = "again",
            EventName = eventName,
            DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "count" },
        }));
        var deactivated = await client.V1.Billing.Meters.DeactivateAsync(meter.Id);
        var listed = await client.V1.Billing.Meters.ListAsync(new MeterListOptions { Status = "inactive", Limit = 100 });

        Assert.StartsWith("mtr_", meter.Id, StringComparison.Ordinal);
        Assert.Equal("active", meter.Status);
        Assert.Equal("account", meter.CustomerMapping.EventPayloadKey);
        Assert.Equal("calls", meter.ValueSettings.EventPayloadKey);
        Assert.Equal(7m, Assert.Single(summaries.Data).AggregatedValue);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, duplicate.HttpStatusCode);
        Assert.Equal("event_name", duplicate.StripeError.Param);
        Assert.Equal("inactive", deactivated.Status);
        Assert.Contains(listed.Data, m => m.Id == meter.Id);
    }

    [Fact]
    public async Task CreatePrice_MeteredWithoutMeter_IsRefusedWithParam()
    {
        var client = fixture.CreateClient();

        var refused = await Assert.ThrowsAsync<StripeException>(() => client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Currency = "usd",
            ProductData = new PriceProductDataOptions { Name = "Calls" },
            UnitAmount = 5,
            Recurring = new PriceRecurringOptions { Interval = "month", UsageType = "metered" },
        }));

        Assert.Equal("recurring[meter]", refused.StripeError.Param);
        Assert.Equal("parameter_missing", refused.StripeError.Code);
    }
}
