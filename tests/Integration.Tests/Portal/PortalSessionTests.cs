using System.Net;
using System.Net.Http.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Portal;

/// <summary>Portal sessions over real HTTP: Stripe's shape, the one-time url, the cookie, and both expiries.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalSessionTests(PortalClusterFixture fixture)
{
    [Fact]
    public async Task CreatePortalSession_ValidCustomer_StripeShapeAndUrlOpensOnceWithAStrictCookie()
    {
        var scenario = await fixture.ScenarioAsync();
        var now = fixture.PortalClock.GetUtcNow().ToUnixTimeSeconds();

        var session = await fixture.PortalSessionAsync(scenario.Secret, scenario.CustomerId);

        Assert.Equal("billing_portal.session", session.GetProperty("object").GetString());
        var id = session.GetProperty("id").GetString()!;
        Assert.StartsWith("bps_", id);
        Assert.Equal(scenario.CustomerId, session.GetProperty("customer").GetString());
        Assert.Equal("https://app.example.com/account", session.GetProperty("return_url").GetString());
        Assert.InRange(session.GetProperty("created").GetInt64(), now - 5, now + 5);
        Assert.Equal(session.GetProperty("created").GetInt64() + 300, session.GetProperty("expires_at").GetInt64());
        var url = new Uri(session.GetProperty("url").GetString()!);
        Assert.Equal(fixture.ApiUrl.Authority, url.Authority);
        Assert.StartsWith($"/portal/open/{id}", url.AbsolutePath);

        using var browser = new PortalHttpClient(fixture.ApiUrl);
        var (opened, body) = await browser.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("http-equiv=\"refresh\" content=\"0;url=/portal\"", body);
        var cookie = Assert.Single(browser.SetCookieHeaders, h => h.StartsWith("platform_portal=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/portal", cookie, StringComparison.OrdinalIgnoreCase);
        var (overview, page) = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Starter", page);
        Assert.Contains("Acme Cloud", page);

        // The same url a second time, even from the same browser, is refused with a clear page.
        using var again = new PortalHttpClient(fixture.ApiUrl);
        var (reused, reusedBody) = await again.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, reused.StatusCode);
        Assert.Contains("already used", reusedBody);
        Assert.DoesNotContain(again.SetCookieHeaders, h => h.StartsWith("platform_portal=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReturnFromStripe_NeedsNoCookie_RefreshesSameSiteToAPortalPathOnly()
    {
        // Stripe's redirect back is cross-site: the Strict cookie is not sent on it, so this page needs none and moves
        // on with a same-site refresh (on which the browser sends the cookie again).
        using var browser = new PortalHttpClient(fixture.ApiUrl);
        var (back, page) = await browser.GetAsync("/portal/back?to=" + Uri.EscapeDataString("/portal/payment_methods?done=added"));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Contains("http-equiv=\"refresh\" content=\"0;url=/portal/payment_methods?done=added\"", page);
        Assert.Equal(PortalPagesTests.Csp, back.Headers.GetValues("Content-Security-Policy").Single());

        foreach (var to in new[] { "https://evil.example/portal/", "//evil.example/portal/x", "/portal/\\evil", "/v1/customers", "", "/portal/x\r\nSet-Cookie: a=b" })
        {
            var (refused, body) = await browser.GetAsync("/portal/back?to=" + Uri.EscapeDataString(to));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.DoesNotContain("refresh", body);
        }
    }

    [Fact]
    public async Task OpenPortalUrl_AfterFiveMinutes_IsRefusedAsExpired()
    {
        var scenario = await fixture.ScenarioAsync();
        var url = new Uri((await fixture.PortalSessionAsync(scenario.Secret, scenario.CustomerId)).GetProperty("url").GetString()!);

        fixture.PortalClock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        using var browser = new PortalHttpClient(fixture.ApiUrl);
        var (response, body) = await browser.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("This billing link has expired", body);
        Assert.Empty(browser.SetCookieHeaders);
        Assert.Equal(PortalPagesTests.Csp, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task OpenPortalUrl_WrongSecretOrUnknownSession_IsRefusedAsInvalid()
    {
        var scenario = await fixture.ScenarioAsync();
        var url = new Uri((await fixture.PortalSessionAsync(scenario.Secret, scenario.CustomerId)).GetProperty("url").GetString()!);
        using var browser = new PortalHttpClient(fixture.ApiUrl);

        var (wrong, body) = await browser.GetAsync(url.AbsolutePath + "?token=not-the-secret");
        var (unknown, _) = await browser.GetAsync("/portal/open/bps_doesnotexist?token=x");
        var (missing, _) = await browser.GetAsync(url.AbsolutePath);

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Contains("not valid", body);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(browser.SetCookieHeaders);
        // The real secret still opens it: a wrong guess does not burn the link.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url.PathAndQuery)).Response.StatusCode);
    }

    [Fact]
    public async Task PortalCookie_AfterAnHour_IsRefusedEvenThoughTheBrowserStillHoldsIt()
    {
        var scenario = await fixture.ScenarioAsync();
        var url = new Uri((await fixture.PortalSessionAsync(scenario.Secret, scenario.CustomerId)).GetProperty("url").GetString()!);
        using var browser = new PortalHttpClient(fixture.ApiUrl);
        await browser.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal")).Response.StatusCode);
        var cookie = browser.Cookies["platform_portal"];

        fixture.PortalClock.Advance(TimeSpan.FromHours(1));

        var (ended, body) = await browser.GetAsync("/portal/usage");
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Contains("Your billing session has ended", body);
        Assert.DoesNotContain("Ada Lovelace", body);
        // A copy of the old cookie is refused as well: the session grain, not the cookie, decides.
        using var replay = new PortalHttpClient(fixture.ApiUrl);
        replay.Cookies["platform_portal"] = cookie;
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/portal")).Response.StatusCode);
    }

    [Fact]
    public async Task CreatePortalSession_BadInput_Is4xxWithParam()
    {
        var scenario = await fixture.ScenarioAsync();
        var other = await fixture.ScenarioAsync("Other Tenant");
        using var client = fixture.Cluster.Client(scenario.Secret);

        async Task<(HttpStatusCode, string?)> Post(object body)
        {
            var response = await client.PostAsJsonAsync("/v1/billing_portal/sessions", body);
            var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            return (response.StatusCode, problem.TryGetProperty("param", out var p) ? p.GetString() : null);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "customer"), await Post(new { return_url = "https://x.example" }));
        Assert.Equal((HttpStatusCode.BadRequest, "return_url"), await Post(new { customer = scenario.CustomerId }));
        Assert.Equal((HttpStatusCode.BadRequest, "return_url"), await Post(new { customer = scenario.CustomerId, return_url = "javascript:alert(1)" }));
        Assert.Equal((HttpStatusCode.BadRequest, "customer"), await Post(new { customer = "cus_missing", return_url = "https://x.example" }));
        // Another tenant's customer does not exist for this tenant.
        Assert.Equal((HttpStatusCode.BadRequest, "customer"), await Post(new { customer = other.CustomerId, return_url = "https://x.example" }));

        var reader = await ReadKeyAsync(scenario.TenantId);
        using var readClient = fixture.Cluster.Client(reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await readClient.PostAsJsonAsync("/v1/billing_portal/sessions",
            new { customer = scenario.CustomerId, return_url = "https://x.example" })).StatusCode);
        using var anonymous = fixture.Cluster.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/v1/billing_portal/sessions",
            new { customer = scenario.CustomerId, return_url = "https://x.example" })).StatusCode);
    }

    private async Task<string> ReadKeyAsync(string tenantId)
    {
        using var admin = fixture.Cluster.AdminClient();
        return (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "read" })))
            .GetProperty("secret").GetString()!;
    }
}
