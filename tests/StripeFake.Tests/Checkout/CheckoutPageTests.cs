using System.Net;
using Stripe;
using Stripe.Billing;
using Stripe.Checkout;

namespace Platform.StripeFake.Tests.Checkout;

/// <summary>The hosted page over HTTP, as a browser uses it: GET the session's url, submit the form, follow the 303.</summary>
[Collection(StripeFakeCollection.Name)]
public sealed class CheckoutPageTests(StripeFakeFixture fixture)
{
    private static readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    [Fact]
    public async Task Submit_SetupMode_SavesTheCardSendsSignedWebhookAndRedirectsToSuccessUrl()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var session = await client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "setup",
            Customer = customer.Id,
            Currency = "usd",
            SuccessUrl = "https://portal.example/cards?session={CHECKOUT_SESSION_ID}",
            CancelUrl = "https://portal.example/cards",
        });

        var page = await _browser.GetAsync(session.Url);
        var html = await page.Content.ReadAsStringAsync();
        var submitted = await SubmitAsync(session.Url, "pm_card_mastercard");
        var completed = await client.V1.Checkout.Sessions.GetAsync(session.Id, new SessionGetOptions { Expand = ["setup_intent"] });
        var webhook = await fixture.Receiver.WaitForAsync("checkout.session.completed", session.Id);
        var cards = await client.V1.Customers.PaymentMethods.ListAsync(customer.Id);
        var after = await (await _browser.GetAsync(session.Url)).Content.ReadAsStringAsync();
        var again = await SubmitAsync(session.Url, "pm_card_visa");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Save card", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://portal.example/cards\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cardnumber", html.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        Assert.Equal($"https://portal.example/cards?session={session.Id}", submitted.Headers.Location?.ToString());
        Assert.Equal("complete", completed.Status);
        Assert.Equal("succeeded", completed.SetupIntent.Status);
        Assert.Equal("4444", Assert.Single(cards.Data).Card.Last4);
        Assert.Equal(session.Id, ((Session)EventUtility.ConstructEvent(webhook.Body, webhook.Signature, fixture.Server.Options.WebhookSecret).Data.Object).Id);
        Assert.Contains("complete", after, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Submit_SubscriptionModeWithUsagePrice_RefusesADecliningCardThenSubscribes()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);
        var meter = await client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = "Calls",
            EventName = "calls_" + Guid.NewGuid().ToString("N")[..8],
            DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
        });
        var usage = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Currency = "usd",
            ProductData = new PriceProductDataOptions { Name = "Calls" },
            UnitAmountDecimal = 0.5m,
            TransformQuantity = new PriceTransformQuantityOptions { DivideBy = 100, Round = "up" },
            Recurring = new PriceRecurringOptions { Interval = "month", UsageType = "metered", Meter = meter.Id },
        });
        var session = await client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            LineItems = [new SessionLineItemOptions { Price = "price_basic", Quantity = 2 }, new SessionLineItemOptions { Price = usage.Id }],
            SuccessUrl = "https://app.example/welcome",
        });

        var html = await (await _browser.GetAsync(session.Url)).Content.ReadAsStringAsync();
        var declined = await SubmitAsync(session.Url, "pm_card_chargeDeclined");
        var stillOpen = await client.V1.Checkout.Sessions.GetAsync(session.Id);
        var submitted = await SubmitAsync(session.Url, "pm_card_visa");
        var completed = await client.V1.Checkout.Sessions.GetAsync(session.Id);
        await fixture.Receiver.WaitForAsync("checkout.session.completed", session.Id);
        var subscription = await client.V1.Subscriptions.GetAsync(completed.SubscriptionId);

        Assert.Equal(2_000, session.AmountTotal); // the usage price adds nothing up front
        Assert.Contains("billed by usage", html, StringComparison.Ordinal);
        Assert.Contains("20.00 USD", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Contains("declined", await declined.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("open", stillOpen.Status);
        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        Assert.Equal("https://app.example/welcome", submitted.Headers.Location?.ToString());
        Assert.Equal("active", subscription.Status);
        Assert.Equal(["price_basic", usage.Id], subscription.Items.Data.Select(i => i.Price.Id));
        Assert.Equal(0, subscription.Items.Data.Single(i => i.Price.Id == usage.Id).Quantity);
    }

    [Fact]
    public async Task Show_UnknownSession_Is404()
    {
        var response = await _browser.GetAsync($"{fixture.Server.BaseUrl}/checkout/cs_test_nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<HttpResponseMessage> SubmitAsync(string url, string paymentMethod) =>
        _browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_method"] = paymentMethod }));
}
