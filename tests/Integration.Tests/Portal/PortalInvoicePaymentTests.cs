using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Grains.Interfaces.Invoices;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Portal;

/// <summary>
/// Paying an invoice from the portal and choosing the default card, over HTTP against the pci silo and the Stripe
/// fake: a saved card pays through the invoice's one PaymentIntent (one successful charge at the fake), a decline is
/// the invoice page with the reason and one attempt on the invoice, and forged, foreign or token-less posts change
/// nothing.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalInvoicePaymentTests(PortalClusterFixture fixture)
{
    [Fact]
    public async Task Pay_SendInvoiceWithASavedVisa_PaidOnceAtStripe_AndBackToTheInvoiceWithTheNotice()
    {
        var scenario = await fixture.ScenarioAsync();
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var visa = await AttachAsync(tenant, "pm_card_visa", scenario.CustomerId);
        var invoice = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1, apiCalls: 250);
        Assert.Equal(CollectionMethods.SendInvoice, invoice.CollectionMethod);
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);

        var (page, html) = await browser.GetAsync($"/portal/invoices/{invoice.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var body = WebUtility.HtmlDecode(html);
        Assert.Contains($"<form method=\"post\" class=\"pay no-print\" id=\"pay-form\" action=\"/portal/invoices/{invoice.Id}/pay\">", body);
        Assert.Contains($"<input type=\"radio\" name=\"payment_method\" id=\"pay-{visa}\" value=\"{visa}\" checked>", body);
        Assert.Contains("Visa ending in 4242 <span class=\"muted\">expires ", body);
        Assert.Contains(" · default</span>", body);
        Assert.Contains("<button type=\"submit\" class=\"button\" id=\"pay-button\">Pay 22.00 USD</button>", body);
        Assert.Contains($"href=\"/portal/payment_methods/add?invoice={invoice.Id}\"", body);
        Assert.DoesNotContain("not available yet", body);

        var (paid, _) = await browser.PostFormAsync($"/portal/invoices/{invoice.Id}/pay", new Dictionary<string, string> { ["payment_method"] = visa });

        Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);
        Assert.Equal($"/portal/invoices/{invoice.Id}?done=paid", paid.Headers.Location?.OriginalString);
        var (after, afterHtml) = await browser.GetAsync(paid.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("<p class=\"notice\" role=\"status\">Paid. Thank you.</p>", afterHtml);
        Assert.Contains("<span class=\"status status-invoice-paid\">Paid</span>", afterHtml);
        Assert.DoesNotContain("id=\"pay-form\"", afterHtml);
        var resource = await ClusterFixture.Json(await tenant.GetAsync($"/v1/invoices/{invoice.Id}"));
        Assert.Equal("paid", resource.GetProperty("status").GetString());
        Assert.Equal(2200, resource.GetProperty("amount_paid").GetInt64());
        Assert.Equal(0, resource.GetProperty("amount_remaining").GetInt64());
        var intent = resource.GetProperty("payment_intent").GetString()!;
        Assert.Equal(intent, (string?)Assert.Single(fixture.Stripe.State.List("payment_intent"), pi => (string?)pi["metadata"]?["invoice_id"] == invoice.Id)["id"]);
        var charge = Assert.Single(Charges(intent));
        Assert.Equal("succeeded", (string?)charge["status"]);
        Assert.Equal(2200, (long?)charge["amount"]);

        // A second click (the form posted again) finds it paid: the same answer, still one charge.
        var (again, _) = await browser.PostFormAsync($"/portal/invoices/{invoice.Id}/pay", new Dictionary<string, string> { ["payment_method"] = visa });
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Single(Charges(intent));
        var audit = await ClusterFixture.Json(await tenant.GetAsync("/v1/audit_events?limit=100"));
        var entry = Assert.Single(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "invoice.paid");
        Assert.StartsWith("portal:bps_", entry.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Pay_WithADecliningCard_IsTheInvoicePageWithTheReason_402_StillOpenWithOneAttempt()
    {
        var scenario = await fixture.ScenarioAsync();
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var declining = await AttachAsync(tenant, "pm_card_chargeDeclined", scenario.CustomerId);
        var invoice = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1);
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);
        await browser.GetAsync($"/portal/invoices/{invoice.Id}");

        var (declined, html) = await browser.PostFormAsync($"/portal/invoices/{invoice.Id}/pay", new Dictionary<string, string> { ["payment_method"] = declining });

        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal(PortalPagesTests.Csp, declined.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("text/html; charset=utf-8", declined.Content.Headers.ContentType?.ToString());
        var body = WebUtility.HtmlDecode(html);
        Assert.Contains("<div class=\"errors\" role=\"alert\" id=\"pay-error\"><p>Your card was declined. Nothing was charged and the invoice is still due: "
            + "choose another card or add a new one.</p></div>", body);
        Assert.Contains($"<h1>Invoice {invoice.Number}</h1>", body);
        Assert.Contains("<span class=\"status status-invoice-open\">Due</span>", body);
        Assert.Contains("The last payment did not go through.", body);
        Assert.Contains("Pay 19.00 USD</button>", body);
        var resource = await ClusterFixture.Json(await tenant.GetAsync($"/v1/invoices/{invoice.Id}"));
        Assert.Equal("open", resource.GetProperty("status").GetString());
        Assert.Equal(1, resource.GetProperty("attempt_count").GetInt32());
        Assert.Equal(0, resource.GetProperty("amount_paid").GetInt64());
        var charges = Charges(resource.GetProperty("payment_intent").GetString()!);
        Assert.Equal("failed", (string?)Assert.Single(charges)["status"]);
        // Nothing else changed: the subscription of a send_invoice invoice is not put in dunning by a portal attempt.
        var subscription = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/subscription"));
        Assert.Equal("active", subscription.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Pay_WithoutTheAntiforgeryToken_OrWithAnotherCustomersCard_IsRefused_AndNothingIsAttempted()
    {
        var scenario = await fixture.ScenarioAsync();
        var bId = await fixture.OtherCustomerAsync(scenario);
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var visa = await AttachAsync(tenant, "pm_card_visa", scenario.CustomerId);
        var bCard = await AttachAsync(tenant, "pm_card_mastercard", bId);
        var invoice = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1);
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);
        await browser.GetAsync($"/portal/invoices/{invoice.Id}");
        var path = $"/portal/invoices/{invoice.Id}/pay";

        var (forged, _) = await browser.PostFormAsync(path, new Dictionary<string, string> { ["payment_method"] = visa }, withToken: false);
        var (foreignToken, _) = await browser.PostFormAsync(path, new Dictionary<string, string> { ["payment_method"] = visa, ["__csrf"] = "CfDJ8forged" }, withToken: false);
        var (bsCard, bsCardHtml) = await browser.PostFormAsync(path, new Dictionary<string, string> { ["payment_method"] = bCard });
        var (noCard, _) = await browser.PostFormAsync(path, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreignToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bsCard.StatusCode);
        Assert.Contains("Choose one of your saved cards to pay with.", bsCardHtml);
        Assert.DoesNotContain(bCard, bsCardHtml);
        Assert.Equal(HttpStatusCode.BadRequest, noCard.StatusCode);
        var resource = await ClusterFixture.Json(await tenant.GetAsync($"/v1/invoices/{invoice.Id}"));
        Assert.Equal("open", resource.GetProperty("status").GetString());
        Assert.Equal(0, resource.GetProperty("attempt_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, resource.GetProperty("payment_intent").ValueKind);
    }

    [Fact]
    public async Task Pay_AnotherCustomersInvoice_IsTheOneNotFoundPage_AndItStaysUnpaid()
    {
        var scenario = await fixture.ScenarioAsync();
        var bId = await fixture.OtherCustomerAsync(scenario);
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var visa = await AttachAsync(tenant, "pm_card_visa", scenario.CustomerId);
        await AttachAsync(tenant, "pm_card_visa", bId);
        var bs = await fixture.InvoiceAsync(scenario, bId, monthsBack: 1);
        using var a = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);
        var (_, unknownPage) = await a.GetAsync("/portal/invoices/in_doesnotexist000000");
        await a.GetAsync("/portal/invoices");

        var (refused, body) = await a.PostFormAsync($"/portal/invoices/{bs.Id}/pay", new Dictionary<string, string> { ["payment_method"] = visa });
        var (unknown, unknownBody) = await a.PostFormAsync("/portal/invoices/in_doesnotexist000000/pay", new Dictionary<string, string> { ["payment_method"] = visa });

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No such invoice", body);
        Assert.Equal(unknownPage, body);
        Assert.Equal(unknownBody, body);
        Assert.DoesNotContain("Bob Other", body);
        var resource = await ClusterFixture.Json(await tenant.GetAsync($"/v1/invoices/{bs.Id}"));
        Assert.Equal("open", resource.GetProperty("status").GetString());
        Assert.Equal(0, resource.GetProperty("attempt_count").GetInt32());
    }

    [Fact]
    public async Task SetDefault_OwnCard_IsTheCustomersDefaultAtTheApi_AndShown_AnotherCustomersCardIsNotFound()
    {
        var scenario = await fixture.ScenarioAsync();
        var bId = await fixture.OtherCustomerAsync(scenario);
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var visa = await AttachAsync(tenant, "pm_card_visa", scenario.CustomerId);
        var mastercard = await AttachAsync(tenant, "pm_card_mastercard", scenario.CustomerId);
        var bCard = await AttachAsync(tenant, "pm_card_visa", bId);
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);

        var (_, before) = await browser.GetAsync("/portal/payment_methods");
        Assert.Contains(DefaultBadge, Card(before, visa));
        Assert.DoesNotContain(DefaultBadge, Card(before, mastercard));
        Assert.Contains("action=\"/portal/payment_methods/default\"", Card(before, mastercard));
        Assert.DoesNotContain("action=\"/portal/payment_methods/default\"", Card(before, visa));

        var (set, _) = await browser.PostFormAsync("/portal/payment_methods/default", new Dictionary<string, string> { ["payment_method"] = mastercard });

        Assert.Equal(HttpStatusCode.SeeOther, set.StatusCode);
        Assert.Equal("/portal/payment_methods?done=default", set.Headers.Location?.OriginalString);
        var customer = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}"));
        Assert.Equal(mastercard, customer.GetProperty("invoice_settings").GetProperty("default_payment_method").GetString());
        var (_, after) = await browser.GetAsync("/portal/payment_methods?done=default");
        Assert.Contains("<p class=\"notice\" role=\"status\">Your default card was changed.</p>", after);
        Assert.Contains(DefaultBadge, Card(after, mastercard));
        Assert.DoesNotContain(DefaultBadge, Card(after, visa));
        var audit = await ClusterFixture.Json(await tenant.GetAsync("/v1/audit_events?limit=100"));
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "customer.default_payment_method_changed"
            && e.GetProperty("actor").GetString()!.StartsWith("portal:bps_", StringComparison.Ordinal));

        // B's card, a made-up id and a token-less post change nothing.
        var (foreign, foreignBody) = await browser.PostFormAsync("/portal/payment_methods/default", new Dictionary<string, string> { ["payment_method"] = bCard });
        var (madeUp, _) = await browser.PostFormAsync("/portal/payment_methods/default", new Dictionary<string, string> { ["payment_method"] = "pm_doesnotexist" });
        var (forged, _) = await browser.PostFormAsync("/portal/payment_methods/default", new Dictionary<string, string> { ["payment_method"] = visa }, withToken: false);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Contains("No such card", foreignBody);
        Assert.Equal(HttpStatusCode.NotFound, madeUp.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        customer = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}"));
        Assert.Equal(mastercard, customer.GetProperty("invoice_settings").GetProperty("default_payment_method").GetString());
        var b = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{bId}"));
        Assert.Equal(bCard, b.GetProperty("invoice_settings").GetProperty("default_payment_method").GetString());
    }

    private const string DefaultBadge = "<span class=\"status default-card\" id=\"default-card\">Default</span>";

    /// <summary>The saved card's list item on the payment methods page.</summary>
    private static string Card(string body, string paymentMethod)
    {
        var start = body.IndexOf($"<li class=\"saved-card\" data-payment-method=\"{paymentMethod}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{paymentMethod} is not listed");
        return body[start..(body.IndexOf("</li>", start, StringComparison.Ordinal) + 5)];
    }

    private System.Text.Json.Nodes.JsonObject[] Charges(string paymentIntent) =>
        fixture.Stripe.State.List("charge").Where(c => (string?)c["payment_intent"] == paymentIntent).ToArray();

    private static async Task<string> AttachAsync(HttpClient tenant, string testCard, string customer) =>
        (await ClusterFixture.Json(await tenant.PostAsJsonAsync($"/v1/payment_methods/{testCard}/attach", new { customer }))).GetProperty("id").GetString()!;
}
