using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Walks every route the API maps, so a route added later is covered without anyone remembering to.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RouteAccessTests(ClusterFixture fixture)
{
    /// <summary>The only routes anyone may call without a credential (the Stripe webhook checks its signature).</summary>
    private static readonly string[] AnonymousPrefixes = ["/health", "/metrics", "/openapi", "/docs", "/v1/stripe/webhook", "/.well-known",
        // The portal's one-time link (its secret is the credential), its static CSS and script, and the way back from
        // Stripe's Checkout (a same-site refresh to a portal path, no data: PortalReturn).
        "/portal/open", "/portal/assets/", "/portal/back"];

    /// <summary>Platform-operator routes with ids (no tenant's data): every tenant credential gets 403 there.</summary>
    private static readonly string[] OperatorPrefixes = ["/v1/tenants", "/v1/webhook_events"];

    private PlatformCluster Cluster => fixture.Cluster;

    private IReadOnlyList<(string Method, string Pattern)> Routes() =>
        Cluster.Apis[0].Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .ToList();

    [Fact]
    public async Task EveryRoute_ExceptTheAnonymousOnes_RefusesAnonymousCallers()
    {
        var routes = Routes();
        Assert.True(routes.Count >= 10, $"only {routes.Count} routes found");
        using var anonymous = Cluster.Client();
        var reachable = new List<string>();
        foreach (var (method, pattern) in routes.Where(r => !AnonymousPrefixes.Any(p => r.Pattern.StartsWith(p, StringComparison.Ordinal))))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern, _ => "x"));
            if (method is "POST" or "PATCH" or "PUT")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }
            var response = await anonymous.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                reachable.Add($"{method} {pattern} → {(int)response.StatusCode}");
            }
        }
        Assert.Empty(reachable);
    }

    [Fact]
    public void EveryRoute_DeclaresWhoMayCallIt()
    {
        var endpoints = Cluster.Apis[0].Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null))
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        Assert.Empty(undeclared);
    }

    /// <summary>
    /// Tenant B's admin key, tenant B's frontend JWT and a customer key of tenant B get, for every
    /// tenant-scoped route and tenant A's real resource ids, exactly what they get for ids that do not
    /// exist: nothing says that A's resource exists. Tenant credentials see 404.
    /// </summary>
    [Fact]
    public async Task EveryTenantScopedRoute_WithAnotherTenantsIds_AnswersAsIfTheyDidNotExist()
    {
        var a = await fixture.CreateTenantAsync();
        using var aClient = Cluster.Client(a.Secret);
        var aCustomer = (await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/customers", new { name = "A's" }))).GetProperty("id").GetString()!;
        var aCustomerKey = (await ClusterFixture.Json(await aClient.PostAsync($"/v1/customers/{aCustomer}/api_keys", null))).GetProperty("id").GetString()!;
        // An endpoint subscribed before the next customer exists, so A has a real event and delivery too.
        var aEndpoint = (await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/webhook_endpoints",
            new { url = Webhooks.WebhookEndpointsApiTests.PublicUrl, enabled_events = new[] { "customer.created" } }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/customers", new { name = "A's second" }));
        var aEvent = (await ClusterFixture.Json(await aClient.GetAsync("/v1/events?limit=1"))).GetProperty("data")[0].GetProperty("id").GetString()!;
        var aDelivery = (await ClusterFixture.Json(await aClient.GetAsync($"/v1/webhook_endpoints/{aEndpoint}/deliveries"))).GetProperty("data")[0].GetProperty("id").GetString()!;
        var aPlan = (await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/plans", Plans.PlansApiTests.ProPlan()))).GetProperty("id").GetString()!;
        var aSubscription = (await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/subscriptions", new { customer = aCustomer, plan = aPlan })))
            .GetProperty("id").GetString()!;
        var samplesOfA = new Dictionary<string, string>
        {
            ["planId"] = aPlan,
            ["subscriptionId"] = aSubscription,
            ["feature"] = "seats",
            ["id"] = aCustomer,
            ["keyId"] = aCustomerKey,
            ["endpointId"] = aEndpoint,
            ["eventId"] = aEvent,
            ["deliveryId"] = aDelivery,
        };
        var missing = new Dictionary<string, string>
        {
            ["planId"] = "plan_000000000000000missing",
            ["subscriptionId"] = "sub_0000000000000000missing",
            ["feature"] = "seats",
            ["id"] = "cus_0000000000000000missing",
            ["keyId"] = "ckey_00000000000000missing",
            ["endpointId"] = "we_00000000000000missing",
            ["eventId"] = "evt_0000000000000missing",
            ["deliveryId"] = "whd_0000000000000missing",
        };

        var b = await fixture.CreateTenantAsync();
        using var bBackend = Cluster.Client(b.Secret);
        var bCustomer = (await ClusterFixture.Json(await bBackend.PostAsJsonAsync("/v1/customers", new { name = "B's" }))).GetProperty("id").GetString()!;
        var bCustomerSecret = (await ClusterFixture.Json(await bBackend.PostAsync($"/v1/customers/{bCustomer}/api_keys", null))).GetProperty("secret").GetString()!;
        using var bUser = Cluster.Client(TestTokens.Jwt(Cluster.JwtSecret, b.Id, role: "admin"));
        using var bInstance = Cluster.Client();
        bInstance.DefaultRequestHeaders.Add("X-API-Key", bCustomerSecret);

        var scoped = Routes().Where(r => r.Pattern.StartsWith("/v1/", StringComparison.Ordinal) && r.Pattern.Contains('{')
                                         && !OperatorPrefixes.Any(p => r.Pattern.StartsWith(p, StringComparison.Ordinal))
                                         && !AnonymousPrefixes.Any(p => r.Pattern.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(scoped);
        var leaks = new List<string>();
        foreach (var (method, pattern) in scoped)
        {
            foreach (var (caller, client) in new[] { ("tenant key", bBackend), ("jwt", bUser), ("customer key", bInstance) })
            {
                var forA = await SendAsync(client, method, Fill(pattern, p => samplesOfA[p]));
                var forNothing = await SendAsync(client, method, Fill(pattern, p => missing[p]));
                if (forA != forNothing || (caller != "customer key" && forA.Status != 404))
                {
                    leaks.Add($"{caller} {method} {pattern}: A's ids → {forA}, missing ids → {forNothing}");
                }
            }
        }
        Assert.Empty(leaks);
        var stillThere = await ClusterFixture.Json(await aClient.GetAsync($"/v1/customers/{aCustomer}"));
        Assert.Equal("A's", stillThere.GetProperty("name").GetString());
    }

    [Fact]
    public async Task OperatorWebhookEventRoutes_RefuseEveryTenantCredential()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Operator's?" }))).GetProperty("id").GetString()!;
        var customerSecret = (await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{customer}/api_keys", null))).GetProperty("secret").GetString()!;
        using var user = Cluster.Client(TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, role: "admin"));
        using var instance = Cluster.Client();
        instance.DefaultRequestHeaders.Add("X-API-Key", customerSecret);
        using var admin = Cluster.AdminClient();
        var samples = new Dictionary<string, string> { ["eventId"] = "evt_0000000000000missing" };

        var routes = Routes().Where(r => r.Pattern.StartsWith("/v1/webhook_events", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, routes.Count);
        var wrong = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var path = Fill(pattern, p => samples[p]);
            foreach (var (caller, client) in new[] { ("tenant key", backend), ("jwt", user), ("customer key", instance) })
            {
                var answer = await SendAsync(client, method, path);
                if (answer.Status != 403)
                {
                    wrong.Add($"{caller} {method} {pattern} → {answer}");
                }
            }
            var operatorAnswer = await SendAsync(admin, method, path);
            if (operatorAnswer.Status is not (200 or 404))
            {
                wrong.Add($"operator {method} {pattern} → {operatorAnswer}");
            }
        }
        Assert.Empty(wrong);
    }

    private static async Task<(int Status, string? Code)> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var code = body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        return ((int)response.StatusCode, code);
    }

    /// <summary>Replaces each {parameter}; an unknown parameter name fails the test so new routes get samples.</summary>
    private static string Fill(string pattern, Func<string, string> value)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var open = pattern.IndexOf('{', i);
            if (open < 0)
            {
                result.Append(pattern, i, pattern.Length - i);
                break;
            }
            var close = pattern.IndexOf('}', open);
            var name = pattern[(open + 1)..close].Split(':')[0].TrimEnd('?');
            result.Append(pattern, i, open - i);
            try
            {
                result.Append(value(name));
            }
            catch (KeyNotFoundException)
            {
                throw new Xunit.Sdk.XunitException($"Route {pattern} has parameter '{name}': add a sample for it to this test.");
            }
            i = close + 1;
        }
        return result.ToString();
    }
}
