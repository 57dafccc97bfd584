using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Portal;

/// <summary>
/// The portal's pages over HTTP: every page found by walking the API's routes (so a page added later is
/// covered), each with the strict CSP and no card field; another customer's or tenant's ids reach nothing.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class PortalPagesTests(PortalClusterFixture fixture)
{
    public const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    [Fact]
    public async Task EveryPortalPage_HasTheStrictCsp_NoInlineScriptOrStyle_AndNoCardField()
    {
        var scenario = await fixture.ScenarioAsync();
        using var browser = await OpenAsync(scenario.Secret, scenario.CustomerId);
        var pages = PortalPages();
        Assert.True(pages.Count >= 6, string.Join(", ", pages));

        foreach (var page in pages.Append("/portal/plan?preview=" + scenario.GrowthPlan))
        {
            var (response, body) = await browser.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
            Assert.Equal(Csp, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Contains("<meta name=\"viewport\"", body);
            Assert.Contains("<main id=\"main\"", body);
            Assert.Contains("<nav aria-label=\"Billing\"", body);
            Assert.DoesNotMatch(InlineScript(), body);
            Assert.DoesNotContain(" style=", body);
            Assert.DoesNotContain("<style", body);
            Assert.DoesNotMatch(CardField(), body);
            foreach (Match form in PostForm().Matches(body))
            {
                Assert.Contains("name=\"__csrf\"", form.Value);
            }
        }
    }

    [Fact]
    public async Task PortalCookieOfCustomerA_WithBsIdsInEveryRoute_NeverShowsOrChangesB()
    {
        var scenario = await fixture.ScenarioAsync();
        var bId = await fixture.OtherCustomerAsync(scenario);
        var otherTenant = await fixture.ScenarioAsync("Rival Corp");
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var bCard = (await ClusterFixture.Json(await tenant.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = bId })))
            .GetProperty("id").GetString()!;
        await fixture.ReportUsageAsync(scenario.Secret, bId, "api_calls", 777);
        using var a = await OpenAsync(scenario.Secret, scenario.CustomerId);
        var foreignIds = new[] { bId, otherTenant.CustomerId, otherTenant.TenantId, bCard };

        foreach (var page in PortalPages())
        {
            foreach (var id in foreignIds)
            {
                var (response, body) = await a.GetAsync($"{page}?customer={id}&id={id}&payment_method={id}&preview={otherTenant.GrowthPlan}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain("Bob Other", body);
                Assert.DoesNotContain("Rival Corp", body);
                Assert.DoesNotContain(bCard, body);
                Assert.DoesNotContain("777", body);
            }
        }
        // Writes with B's card or another tenant's plan are refused, and B's card is still B's.
        await a.GetAsync("/portal/payment_methods");
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostFormAsync("/portal/payment_methods/remove", new Dictionary<string, string> { ["payment_method"] = bCard })).Response.StatusCode);
        var bCards = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{bId}/payment_methods"));
        Assert.Contains(bCards.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetString() == bCard);
        await a.GetAsync("/portal/plan");
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostFormAsync("/portal/plan", new Dictionary<string, string> { ["plan"] = otherTenant.GrowthPlan })).Response.StatusCode);
        var aSubscription = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/subscription"));
        Assert.Equal(scenario.StarterPlan, aSubscription.GetProperty("plan").GetString());
        // The usage stream is A's alone: it carries A's figures (none yet), never B's 777.
        var usage = await a.GetAsync("/portal/usage");
        Assert.DoesNotContain("777", usage.Body);
        // The portal cookie opens no /v1 route, even one about A.
        using var cookieOnly = new HttpClient { BaseAddress = fixture.ApiUrl };
        cookieOnly.DefaultRequestHeaders.Add("Cookie", "platform_portal=" + a.Cookies["platform_portal"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.GetAsync($"/v1/customers/{scenario.CustomerId}")).StatusCode);
    }

    [Fact]
    public async Task PortalForms_WithoutTheAntiforgeryToken_AreRefusedAndChangeNothing()
    {
        var scenario = await fixture.ScenarioAsync();
        using var browser = await OpenAsync(scenario.Secret, scenario.CustomerId);
        await browser.GetAsync("/portal/plan");

        var (forged, _) = await browser.PostFormAsync("/portal/plan/cancel", new Dictionary<string, string>(), withToken: false);
        var (foreignToken, _) = await browser.PostFormAsync("/portal/plan/cancel", new Dictionary<string, string> { ["__csrf"] = "CfDJ8forged" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreignToken.StatusCode);
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var subscription = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/subscription"));
        Assert.False(subscription.GetProperty("cancel_at_period_end").GetBoolean());
        var (done, _) = await browser.PostFormAsync("/portal/plan/cancel", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        subscription = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/subscription"));
        Assert.True(subscription.GetProperty("cancel_at_period_end").GetBoolean());
    }

    [Fact]
    public async Task SetBranding_ValidatesTheColour_AndEveryPageShowsTheNameAndAccent()
    {
        var scenario = await fixture.ScenarioAsync();
        var other = await fixture.ScenarioAsync("Rival Corp");
        using var tenant = fixture.Cluster.Client(scenario.Secret);

        var bad = await tenant.PostAsJsonAsync($"/v1/tenants/{scenario.TenantId}/branding", new { accent_color = "red; } body { display:none" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("accent_color", (await bad.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.PostAsJsonAsync($"/v1/tenants/{other.TenantId}/branding", new { accent_color = "#000000" })).StatusCode);
        var set = await ClusterFixture.Json(await tenant.PostAsJsonAsync($"/v1/tenants/{scenario.TenantId}/branding",
            new { display_name = "Acme Billing", accent_color = "#0A7D4F" }));
        Assert.Equal("#0a7d4f", set.GetProperty("accent_color").GetString());

        using var browser = await OpenAsync(scenario.Secret, scenario.CustomerId);
        foreach (var page in PortalPages())
        {
            Assert.Contains("<span class=\"tenant\">Acme Billing</span>", (await browser.GetAsync(page)).Body);
        }
        var (css, body) = await browser.GetAsync("/portal/assets/brand.css");
        Assert.Equal("text/css; charset=utf-8", css.Content.Headers.ContentType?.ToString());
        Assert.Contains("--accent: #0a7d4f;", body);
    }

    [Fact]
    public async Task BillingDetails_InvalidTaxIdRefusedWithReason_ValidSavedAndAudited()
    {
        var scenario = await fixture.ScenarioAsync();
        using var browser = await OpenAsync(scenario.Secret, scenario.CustomerId);
        await browser.GetAsync("/portal/billing");
        var fields = new Dictionary<string, string>
        {
            ["name"] = "Ada King",
            ["email"] = "ada.king@example.com",
            ["line1"] = "12 St James's Square",
            ["line2"] = "",
            ["city"] = "London",
            ["postal_code"] = "SW1Y 4JH",
            ["state"] = "",
            ["country"] = "gb",
            ["tax_id_type"] = "gb_vat",
            ["tax_id"] = "GB12345",
        };

        var (refused, body) = await browser.PostFormAsync("/portal/billing", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("This is not a valid UK VAT number.", body);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"e-tax_id\"", body);

        fields["tax_id"] = "GB123456789";
        var (saved, _) = await browser.PostFormAsync("/portal/billing", fields);
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        var (page, shown) = await browser.GetAsync("/portal/billing?done=saved");
        Assert.Contains("value=\"GB123456789\"", shown);
        Assert.Contains("value=\"GB\"", shown);
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var customer = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}"));
        Assert.Equal("Ada King", customer.GetProperty("name").GetString());
        Assert.Equal("ada.king@example.com", customer.GetProperty("email").GetString());
        var audit = await ClusterFixture.Json(await tenant.GetAsync("/v1/audit_events?limit=100"));
        var entry = Assert.Single(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "customer.billing_details_updated");
        Assert.Equal(scenario.CustomerId, entry.GetProperty("subject").GetString());
        Assert.StartsWith("portal:bps_", entry.GetProperty("actor").GetString());
        Assert.Equal("line1,city,postal_code,country,tax_id_type,tax_id", entry.GetProperty("details").GetProperty("fields").GetString());
        Assert.DoesNotContain("GB123456789", entry.GetRawText());
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "customer.updated"
            && e.GetProperty("actor").GetString()!.StartsWith("portal:bps_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownPortalPaths_GetOrPost_AreThePortalsHtmlNotFoundPage_NeverTheApisJson()
    {
        var scenario = await fixture.ScenarioAsync();
        using var browser = await OpenAsync(scenario.Secret, scenario.CustomerId);
        await browser.GetAsync("/portal");
        var paths = new[]
        {
            ("GET", "/portal/nope"),
            ("POST", "/portal/nope"),
            ("GET", "/portal/invoices/in_x/more"),
            ("POST", "/portal/usage"),
            ("GET", "/portal/payment_methods/default"),
            ("DELETE", "/portal/invoices"),
        };

        foreach (var (method, path) in paths)
        {
            var (response, body) = method switch
            {
                "GET" => await browser.GetAsync(path),
                "POST" => await browser.PostFormAsync(path, new Dictionary<string, string>()),
                _ => await browser.SendAsync(new HttpMethod(method), path),
            };
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Equal(Csp, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("<h1>Page not found</h1>", body);
            Assert.Contains("<a class=\"button\" href=\"/portal\">Go to your billing overview</a>", body);
        }
        // Without the portal cookie an unknown path is the session-ended page, as every portal path is.
        using var anonymous = new PortalHttpClient(fixture.ApiUrl);
        var (ended, endedBody) = await anonymous.GetAsync("/portal/nope");
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Contains("Your billing session has ended", endedBody);
    }

    [Fact]
    public async Task UsagePage_ThisPeriod_IsTheSubscriptionsOwnPeriod_AsTheApiShowsIt_AndSoIsTheLiveFeed()
    {
        var scenario = await fixture.ScenarioAsync();
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var subscription = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/subscription"));
        var start = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_start").GetInt64());
        var end = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_end").GetInt64());
        // Before the subscription's period began (and possibly in the same calendar month): not this period's.
        await fixture.ReportUsageAsync(scenario.Secret, scenario.CustomerId, "api_calls", 5, start.AddHours(-1));
        await fixture.ReportUsageAsync(scenario.Secret, scenario.CustomerId, "api_calls", 7);
        using var browser = await OpenAsync(scenario.Secret, scenario.CustomerId);

        var (_, body) = await browser.GetAsync("/portal/usage");

        Assert.Contains($"<h2 id=\"period-h\">This period: {Long(start)} – {Long(end.AddSeconds(-1))}</h2>", body);
        Assert.Contains("<tr data-metric=\"api_calls\" data-limit=\"1000\"><th scope=\"row\">api_calls</th><td class=\"usage-value\">7</td>", body);
        var api = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/usage"));
        Assert.Equal(start.ToUnixTimeSeconds(), api.GetProperty("from").GetInt64());
        Assert.Equal(end.ToUnixTimeSeconds(), api.GetProperty("to").GetInt64());
        Assert.Equal(7, Assert.Single(api.GetProperty("data").EnumerateArray()).GetProperty("sum").GetDecimal());

        // The live feed's figures are the same period's: first what is there, then each report as it is taken.
        using var live = new HttpClient { BaseAddress = fixture.ApiUrl, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/portal/usage/events");
        request.Headers.Add("Cookie", string.Join("; ", browser.Cookies.Select(c => c.Key + "=" + c.Value)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await live.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(deadline.Token));
        Assert.Equal(7, await NextApiCallsAsync(reader, deadline.Token));
        await fixture.ReportUsageAsync(scenario.Secret, scenario.CustomerId, "api_calls", 3);
        Assert.Equal(10, await NextApiCallsAsync(reader, deadline.Token));
    }

    /// <summary>The api_calls figure of the stream's next usage event.</summary>
    private static async Task<decimal> NextApiCallsAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? line;
        do
        {
            line = await reader.ReadLineAsync(cancellationToken);
        }
        while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));
        Assert.NotNull(line);
        var metric = Assert.Single(System.Text.Json.JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("metrics").EnumerateArray());
        Assert.Equal("api_calls", metric.GetProperty("metric").GetString());
        return metric.GetProperty("used").GetDecimal();
    }

    private static string Long(DateTimeOffset time) => time.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<PortalHttpClient> OpenAsync(string secret, string customer)
    {
        var url = new Uri((await fixture.PortalSessionAsync(secret, customer)).GetProperty("url").GetString()!);
        var browser = new PortalHttpClient(fixture.ApiUrl);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url.PathAndQuery)).Response.StatusCode);
        return browser;
    }

    /// <summary>Every GET page of the portal, from the API's own route table (no parameters, not the stream or assets).</summary>
    private List<string> PortalPages() =>
        fixture.Cluster.Apis[0].Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(p => p.StartsWith("/portal", StringComparison.Ordinal) && !p.Contains('{') && !p.Contains("/assets")
                && p != "/portal/usage/events" && p != "/portal/payment_methods/add" && p != "/portal/back")
            .Distinct().Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("cc-number|cc-csc|card.?number|name=\"(number|cvc|cvv|pan|card)\"", RegexOptions.IgnoreCase)]
    private static partial Regex CardField();

    [GeneratedRegex("<form method=\"post\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex PostForm();
}
