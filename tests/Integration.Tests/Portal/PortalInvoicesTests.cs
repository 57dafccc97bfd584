using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Portal;

/// <summary>
/// The portal's invoices over HTTP: the list is the cookie customer's finalized invoices only, each invoice is a
/// document with the tenant, customer, lines, tiers and totals, and any id that is not the customer's own
/// finalized invoice gets one and the same not-found page.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class PortalInvoicesTests(PortalClusterFixture fixture)
{
    [Fact]
    public async Task InvoicesList_OwnFinalizedInvoicesOnly_NewestFirst_WithNumberPeriodStatusAndTotal()
    {
        var scenario = await fixture.ScenarioAsync();
        var bId = await fixture.OtherCustomerAsync(scenario);
        var older = await fixture.MarkPaidAsync(scenario.TenantId, await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 2));
        var newer = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1, apiCalls: 250);
        var draft = await fixture.DraftInvoiceAsync(scenario, scenario.CustomerId, monthsBack: 3);
        var bs = await fixture.InvoiceAsync(scenario, bId, monthsBack: 1);
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);

        var (response, body) = await browser.GetAsync("/portal/invoices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Rows(body);
        Assert.Equal(new[] { newer.Id, older.Id }, rows.Keys.ToArray());
        Assert.Contains($"<a href=\"/portal/invoices/{newer.Id}\">{newer.Number}</a>", rows[newer.Id]);
        Assert.Contains($"{Short(newer.PeriodStart)} – {Short(newer.PeriodEnd)}", rows[newer.Id]);
        Assert.Contains(">Due<", rows[newer.Id]);
        Assert.Contains("22.00 USD", rows[newer.Id]);
        Assert.Contains($"<a href=\"/portal/invoices/{older.Id}\">{older.Number}</a>", rows[older.Id]);
        Assert.Contains(">Paid<", rows[older.Id]);
        Assert.Contains("19.00 USD", rows[older.Id]);
        Assert.DoesNotContain(bs.Id, body);
        Assert.DoesNotContain(bs.Number!, body);
        Assert.DoesNotContain(draft.Id, body);
        Assert.Contains("<a href=\"/portal/invoices\" aria-current=\"page\">Invoices</a>", body);

        // The next page starts after a given invoice; a cursor that is not an invoice id is a clear 400.
        var (_, olderPage) = await browser.GetAsync($"/portal/invoices?after={newer.Id}");
        Assert.Equal(new[] { older.Id }, Rows(olderPage).Keys.ToArray());
        var (bad, badBody) = await browser.GetAsync("/portal/invoices?after=cus_x%3Cb%3E");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("This list link is not valid", badBody);
        Assert.Equal(PortalPagesTests.Csp, bad.Headers.GetValues("Content-Security-Policy").Single());
        // An invoice id that names no invoice is as invalid, not an empty "older invoices" page.
        var (unknown, unknownBody) = await browser.GetAsync($"/portal/invoices?after={PlatformIds.InvoicePrefix}{PlatformIds.RandomToken(24)}");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("This list link is not valid", unknownBody);
    }

    [Fact]
    public async Task InvoiceDocument_ShowsTenantCustomerLinesTiersAndTotals_AndTheAmountDue_WithoutACardTheWayToAddOne()
    {
        var scenario = await fixture.ScenarioAsync();
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        await ClusterFixture.Json(await tenant.PostAsJsonAsync($"/v1/tenants/{scenario.TenantId}/branding", new { display_name = "Acme Billing", accent_color = "#0a7d4f" }));
        var invoice = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1, apiCalls: 250);
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);
        await browser.GetAsync("/portal/billing");
        var (saved, _) = await browser.PostFormAsync("/portal/billing", new Dictionary<string, string>
        {
            ["name"] = "Ada Lovelace",
            ["email"] = "ada@example.com",
            ["line1"] = "1 Main Street",
            ["line2"] = "",
            ["city"] = "London",
            ["postal_code"] = "SW1A 1AA",
            ["state"] = "",
            ["country"] = "GB",
            ["tax_id_type"] = "gb_vat",
            ["tax_id"] = "GB123456789",
        });
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);

        var (response, html) = await browser.GetAsync($"/portal/invoices/{invoice.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PortalPagesTests.Csp, response.Headers.GetValues("Content-Security-Policy").Single());
        var body = WebUtility.HtmlDecode(html);
        Assert.Contains($"<h1>Invoice {invoice.Number}</h1>", body);
        Assert.Contains("<p class=\"party\" id=\"invoice-from\">Acme Billing</p>", body);
        Assert.Contains("<p class=\"party\" id=\"invoice-to\">Ada Lovelace<br>ada@example.com<br>1 Main Street<br>SW1A 1AA London<br>GB<br>UK VAT number: GB123456789</p>", body);
        Assert.Contains($"<dd id=\"invoice-number\">{invoice.Number}</dd>", body);
        Assert.Contains($"<dd id=\"invoice-period\">{Long(invoice.PeriodStart)} – {Long(invoice.PeriodEnd)}</dd>", body);
        Assert.Contains($"<dd id=\"invoice-due\">{Long(invoice.DueDate!.Value)}</dd>", body);
        var lines = LineRow().Matches(body).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("Starter (flat)", lines[0]);
        Assert.Contains("<td class=\"amount\">1</td><td class=\"amount\">19.00 USD</td>", lines[0]);
        Assert.Contains("api_calls usage", lines[1]);
        Assert.Contains("<li>Tier 1 (up to 100): 100 × 0.00 USD = 0.00 USD</li>", lines[1]);
        Assert.Contains("<li>Tier 2 (and above): 150 × 0.02 USD = 3.00 USD</li>", lines[1]);
        Assert.Contains("<td class=\"amount\">250</td><td class=\"amount\">3.00 USD</td>", lines[1]);
        Assert.Contains("id=\"invoice-subtotal\">22.00 USD<", body);
        Assert.DoesNotContain("invoice-tax", body);
        Assert.Contains("id=\"invoice-total\">22.00 USD<", body);
        Assert.Contains("id=\"invoice-paid\">0.00 USD<", body);
        Assert.Contains("<th scope=\"row\" colspan=\"2\">Amount due</th><td class=\"amount\" id=\"invoice-remaining\">22.00 USD<", body);
        Assert.Contains($"<p id=\"invoice-payment\">22.00 USD is due by {Long(invoice.DueDate!.Value)}.</p>", body);
        // No card saved yet: no pay form, the way to add a card (on Stripe's page), which comes back to this invoice.
        Assert.DoesNotContain($"/portal/invoices/{invoice.Id}/pay", body);
        Assert.Contains($"To pay online, <a href=\"/portal/payment_methods/add?invoice={invoice.Id}\" id=\"pay-add-card\">add a card</a>.", body);
        // The print button waits in the markup for the script to reveal it (PortalBrowserTests prints the page).
        Assert.Contains("<button type=\"button\" class=\"button secondary\" id=\"print-invoice\" hidden>", body);
    }

    [Fact]
    public async Task InvoiceDocument_PaidInvoice_ShowsAmountPaidAndNothingDue()
    {
        var scenario = await fixture.ScenarioAsync();
        var invoice = await fixture.MarkPaidAsync(scenario.TenantId, await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1, apiCalls: 101));
        using var browser = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);

        var (response, html) = await browser.GetAsync($"/portal/invoices/{invoice.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(html);
        Assert.Contains("<span class=\"status status-invoice-paid\">Paid</span>", body);
        Assert.Contains("id=\"invoice-total\">19.02 USD<", body);
        Assert.Contains("id=\"invoice-paid\">19.02 USD<", body);
        Assert.Contains("<th scope=\"row\" colspan=\"2\">Amount remaining</th><td class=\"amount\" id=\"invoice-remaining\">0.00 USD<", body);
        Assert.Contains($"Paid in full on {Long(invoice.StatusTransitions.PaidAt!.Value)}.", body);
        Assert.DoesNotContain("is due", body);
    }

    [Fact]
    public async Task InvoiceDocument_OfAnotherCustomerOrTenant_ADraft_OrAMalformedId_IsOneNotFoundPage()
    {
        var scenario = await fixture.ScenarioAsync();
        var bId = await fixture.OtherCustomerAsync(scenario);
        var other = await fixture.ScenarioAsync("Rival Corp");
        var bs = await fixture.InvoiceAsync(scenario, bId, monthsBack: 1);
        var rivals = await fixture.InvoiceAsync(other, other.CustomerId, monthsBack: 1);
        var draft = await fixture.DraftInvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1);
        using var a = await fixture.OpenPortalAsync(scenario.Secret, scenario.CustomerId);

        var bodies = new List<string>();
        foreach (var id in new[] { bs.Id, rivals.Id, draft.Id, "in_doesnotexist000000", bId, "%3Cscript%3E", "in_" + new string('x', 300) })
        {
            var (response, body) = await a.GetAsync("/portal/invoices/" + id);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{id}: {(int)response.StatusCode}");
            Assert.Equal(PortalPagesTests.Csp, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("No such invoice", body);
            Assert.DoesNotContain("Bob Other", body);
            Assert.DoesNotContain("Rival Corp", body);
            Assert.DoesNotContain(bs.Number!, body);
            bodies.Add(body);
        }
        Assert.Single(bodies.Distinct());
        // B's invoice is there for the tenant: the portal refused it, it did not miss it.
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync($"/v1/invoices/{bs.Id}")).StatusCode);
    }

    /// <summary>The list's rows by invoice id, in page order (an ordered dictionary: the order is what is tested).</summary>
    private static OrderedDictionary<string, string> Rows(string body) =>
        new(InvoiceRow().Matches(body).Select(m => KeyValuePair.Create(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))));

    private static string Short(DateTimeOffset time) => time.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Long(DateTimeOffset time) => time.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex("<tr data-invoice=\"(in_[^\"]+)\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex InvoiceRow();

    [GeneratedRegex("<tr data-line=\"[^\"]+\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex LineRow();
}
