using Platform.Grains.Pci.Webhooks;

namespace Platform.Unit.Tests.Grains.Pci.Webhooks;

public sealed class StripeEventReaderTests
{
    [Fact]
    public void Read_PaymentMethodEvent_KeepsBrandAndLast4ButNoOtherCardData()
    {
        var payload = """
            {"id":"evt_1Abc","object":"event","type":"payment_method.attached","created":1795431546,"livemode":true,
             "api_version":"2026-10-28.endive",
             "data":{"object":{"id":"pm_1Xyz","object":"payment_method","customer":"cus_Stripe1","type":"card",
               "billing_details":{"name":"Jenny Rosen","email":"jenny@example.com","address":{"line1":"1 Main St"}},
               "card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030,"fingerprint":"Xt5EWLLDS7FJjR1c",
                 "checks":{"cvc_check":"pass"},"funding":"credit"},
               "metadata":{"tenant_id":"ten_a","customer_id":"cus_b"}}}}
            """;

        var read = StripeEventReader.Read(payload);

        Assert.Equal("evt_1Abc", read.Id);
        Assert.Equal("payment_method.attached", read.Type);
        Assert.Equal(1795431546, read.Created);
        Assert.True(read.Livemode);
        Assert.Equal("pm_1Xyz", read.ObjectId);
        Assert.Equal("cus_Stripe1", read.Customer);
        Assert.Equal("visa", read.CardBrand);
        Assert.Equal("4242", read.CardLast4);
        Assert.Equal("cus_b", read.MetadataValue("customer_id"));
        var stored = Platform.Grains.StripeWebhooks.StripeEventJson.Serialize(read);
        foreach (var secretish in new[] { "Jenny", "jenny@", "Main St", "fingerprint", "Xt5EWLLDS7FJjR1c", "exp_", "2030", "cvc" })
        {
            Assert.DoesNotContain(secretish, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_SubscriptionWithPeriodOnItems_AndInvoiceWithParentMetadata()
    {
        var subscription = StripeEventReader.Read("""
            {"id":"evt_s","type":"customer.subscription.updated","created":10,"data":{"object":{"id":"sub_1","object":"subscription",
             "status":"active","customer":{"id":"cus_S","object":"customer"},"cancel_at_period_end":true,"created":5,
             "items":{"data":[{"id":"si_1","price":{"id":"price_pro"},"quantity":3,"current_period_start":100,"current_period_end":200}]},
             "latest_invoice":"in_9","metadata":{}}}}
            """);
        var invoice = StripeEventReader.Read("""
            {"id":"evt_i","type":"invoice.paid","created":11,"data":{"object":{"id":"in_9","object":"invoice","status":"paid","created":9,
             "customer":"cus_S","metadata":{},"parent":{"subscription_details":{"subscription":"sub_1","metadata":{"tenant_id":"ten_a"}}}}}}
            """);

        Assert.Equal("cus_S", subscription.Customer);
        Assert.Equal((100L, 200L), (subscription.CurrentPeriodStart!.Value, subscription.CurrentPeriodEnd!.Value));
        Assert.True(subscription.CancelAtPeriodEnd);
        Assert.Equal("sub_1", subscription.Subscription);
        Assert.Equal(("si_1", "price_pro", 3L), (subscription.Items[0].Id, subscription.Items[0].PriceId, subscription.Items[0].Quantity));
        Assert.Equal("sub_1", invoice.Subscription);
        Assert.Equal("ten_a", invoice.MetadataValue("tenant_id"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"type":"invoice.paid","created":1}""")]
    [InlineData("""{"id":"ch_1","type":"invoice.paid","created":1}""")]
    [InlineData("""{"id":"evt_1","type":"Invoice Paid!","created":1}""")]
    [InlineData("""{"id":"evt_1","type":"invoice.paid"}""")]
    public void Read_NotAnEvent_Throws(string payload) =>
        Assert.Throws<FormatException>(() => StripeEventReader.Read(payload));
}
