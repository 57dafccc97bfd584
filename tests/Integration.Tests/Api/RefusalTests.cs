using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Issue 22's refusals, each as a new user met it: every one is our problem document with a stable
/// <c>code</c> and the <c>param</c> to fix, never the framework's text.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RefusalTests(ClusterFixture fixture)
{
    private static readonly string[] FrameworkPhrases =
        ["Implicit body", "Did you mean", "Failed to bind", "Nullable", "System.", "could not be mapped", "Path:"];

    private PlatformCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData("/v1/plans", "", "code")]
    [InlineData("/v1/plans", "null", "code")]
    [InlineData("/v1/plans", " null ", "code")]
    [InlineData("/v1/subscriptions", "", "customer")]
    [InlineData("/v1/payment_intents", "null", "amount")]
    [InlineData("/v1/usage_events", "", "event_id")]
    public async Task EmptyOrNullBody_IsAnEmptyObject_AndNamesTheFirstMissingField(string path, string body, string param)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Idempotency-Key", Key());
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "parameter_missing", param);
    }

    [Theory]
    [InlineData("/v1/customers?limit=abc", "limit", "parameter_invalid", "limit must be an integer.")]
    [InlineData("/v1/customers?limit=0", "limit", "parameter_invalid", null)]
    [InlineData("/v1/plans?limit=1.5", "limit", "parameter_invalid", "limit must be an integer.")]
    [InlineData("/v1/payment_intents?limit=true", "limit", "parameter_invalid", "limit must be an integer.")]
    public async Task MalformedQuery_NamesTheParameter(string path, string param, string code, string? detail)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        using var response = await client.GetAsync(path);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, code, param);
        if (detail is not null)
        {
            Assert.Equal(detail, problem.GetProperty("detail").GetString());
        }
    }

    /// <summary>
    /// Control characters in a path id reach the route and are an unknown object. (A decoded NUL, %00, is
    /// refused by Kestrel itself before the application runs: 400 with no body, which no middleware can change.)
    /// </summary>
    [Theory]
    [InlineData("/v1/customers/%01")]
    [InlineData("/v1/customers/cus_%7Fx")]
    [InlineData("/v1/plans/%1B%5B31m")]
    public async Task ControlCharactersInPath_AreAProblemDocument(string path)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("resource_missing", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"code": "a", "interval": "month", "currency": "usd", "amount": "ten"}""", "amount", "amount must be an integer.")]
    [InlineData("""{"code": "a", "interval": "month", "currency": 840, "amount": 1}""", "currency", "currency must be a string.")]
    [InlineData("""{"code": "a", "interval": "month", "currency": "usd", "amount": 1, "trial_days": true}""", "trial_days", "trial_days must be an integer.")]
    [InlineData("""{"code": "a", "interval": "month", "currency": "usd", "amount": 1, "usage_charges": [{"metric": "m", "pricing_model": "per_unit", "unit_amount": "1"}]}""",
        "usage_charges[0][unit_amount]", "usage_charges[0][unit_amount] must be an integer.")]
    [InlineData("""{"code": "a", "interval": "month", "currency": "usd", "amount": 1, "colour": "red"}""", "colour", "colour is not a field of this request.")]
    [InlineData("""{"code": "a", "interval": "month", "currency": "usd", "amount": 1, "entitlements": [{"feature": "f", "maximum": 3}]}""",
        "entitlements[0][maximum]", "entitlements[0][maximum] is not a field of this request.")]
    public async Task WrongTypeOrUnknownField_NamesTheField(string body, string param, string detail)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        using var response = await client.PostAsync("/v1/plans", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_json", param);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("usdx")]
    [InlineData("€€€")]
    [InlineData("")]
    public async Task UnknownCurrency_IsRefused_OnPlansPaymentsAndPaymentLimits(string currency)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        using var plan = await client.PostAsJsonAsync("/v1/plans", new { code = "c", interval = "month", currency, amount = 100 });
        using var payment = await PayAsync(client, new { customer = PlatformIds.NewCustomerId(), amount = 100, currency });
        using var limits = await client.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits",
            new { max_amount_per_payment = new Dictionary<string, long> { [currency] = 100 } });

        await AssertProblemAsync(plan, HttpStatusCode.BadRequest, "parameter_invalid", "currency");
        await AssertProblemAsync(payment, HttpStatusCode.BadRequest, "parameter_invalid", "currency");
        await AssertProblemAsync(limits, HttpStatusCode.BadRequest, "parameter_invalid", $"max_amount_per_payment[{currency}]");
    }

    [Fact]
    public async Task KnownCurrency_InAnyCase_IsAnsweredLowercase()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var plan = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new { code = "eur", interval = "month", currency = "EUR", amount = 100 }));

        Assert.Equal("eur", plan.GetProperty("currency").GetString());
    }

    /// <summary>One range for every money field: the largest amount a payment takes is the largest a plan takes.</summary>
    [Fact]
    public async Task Amounts_ShareOneRange_OnPlansAndPayments()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        const long Max = 99_999_999;

        var atMax = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new { code = "max", interval = "month", currency = "usd", amount = Max }));
        using var planOver = await client.PostAsJsonAsync("/v1/plans", new { code = "over", interval = "month", currency = "usd", amount = Max + 1 });
        using var unitOver = await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "unit",
            interval = "month",
            currency = "usd",
            amount = 0,
            usage_charges = new[] { new { metric = "calls", pricing_model = "per_unit", unit_amount = Max + 1 } },
        });
        // At the ceiling a payment passes the amount check and stops at the next one (the unknown customer).
        using var paymentAtMax = await PayAsync(client, new { customer = PlatformIds.NewCustomerId(), amount = Max, currency = "usd" });
        using var paymentOver = await PayAsync(client, new { customer = PlatformIds.NewCustomerId(), amount = Max + 1, currency = "usd" });
        using var limitOver = await client.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits",
            new { max_amount_per_payment = new Dictionary<string, long> { ["usd"] = Max + 1 } });

        Assert.Equal(Max, atMax.GetProperty("amount").GetInt64());
        var planProblem = await AssertProblemAsync(planOver, HttpStatusCode.BadRequest, "parameter_invalid", "amount");
        await AssertProblemAsync(unitOver, HttpStatusCode.BadRequest, "parameter_invalid", "usage_charges[0][unit_amount]");
        await AssertProblemAsync(paymentAtMax, HttpStatusCode.NotFound, "resource_missing", "customer");
        var paymentProblem = await AssertProblemAsync(paymentOver, HttpStatusCode.BadRequest, "parameter_invalid", "amount");
        await AssertProblemAsync(limitOver, HttpStatusCode.BadRequest, "parameter_invalid", "max_amount_per_payment[usd]");
        Assert.Contains("99999999", planProblem.GetProperty("detail").GetString());
        Assert.Contains("99999999", paymentProblem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/v1/customers?starting_after=cus_nope")]
    [InlineData("/v1/customers?starting_after={customer}")]
    [InlineData("/v1/plans?starting_after=plan_nope")]
    [InlineData("/v1/plans?starting_after={plan}")]
    [InlineData("/v1/payment_intents?starting_after=pi_nope")]
    [InlineData("/v1/audit_events?starting_after={audit}")]
    [InlineData("/v1/subscriptions?starting_after=sub_nope")]
    [InlineData("/v1/refunds?starting_after=ref_nope")]
    [InlineData("/v1/invoices?starting_after={invoice}")]
    [InlineData("/v1/customers/{listed}/invoices?starting_after={invoice}")]
    [InlineData("/v1/webhook_endpoints?starting_after={endpoint}")]
    [InlineData("/v1/webhook_endpoints/{listed_endpoint}/deliveries?starting_after={delivery}")]
    [InlineData("/v1/events?starting_after={event}")]
    [InlineData("/v1/webhook_events?starting_after=evt_nope")]
    public async Task UnknownStartingAfter_IsResourceMissing(string template)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = template.StartsWith("/v1/webhook_events", StringComparison.Ordinal) ? Cluster.AdminClient() : Cluster.Client(tenant.Secret);
        using var tenantClient = Cluster.Client(tenant.Secret);
        // Each list holds something, so an empty page is never simply the end of an empty list.
        var listed = await ClusterFixture.Json(await tenantClient.PostAsJsonAsync("/v1/customers", new { name = "Listed" }));
        var endpoint = await ClusterFixture.Json(await tenantClient.PostAsJsonAsync("/v1/webhook_endpoints",
            new { url = Webhooks.WebhookEndpointsApiTests.PublicUrl, enabled_events = new[] { "invoice.paid" } }));
        var path = template
            .Replace("{customer}", PlatformIds.NewCustomerId(), StringComparison.Ordinal)
            .Replace("{plan}", PlatformIds.NewPlanId(), StringComparison.Ordinal)
            .Replace("{audit}", PlatformIds.NewAuditEntryId(), StringComparison.Ordinal)
            .Replace("{invoice}", PlatformIds.InvoicePrefix + PlatformIds.RandomToken(24), StringComparison.Ordinal)
            .Replace("{listed}", listed.GetProperty("id").GetString(), StringComparison.Ordinal)
            .Replace("{endpoint}", PlatformIds.NewWebhookEndpointId(), StringComparison.Ordinal)
            .Replace("{listed_endpoint}", endpoint.GetProperty("id").GetString(), StringComparison.Ordinal)
            .Replace("{delivery}", PlatformIds.NewWebhookDeliveryId(), StringComparison.Ordinal)
            .Replace("{event}", PlatformIds.NewEventId(), StringComparison.Ordinal);

        using var response = await client.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "resource_missing", "starting_after");
    }

    [Fact]
    public async Task ProblemType_IsRelativeToTheApisOwnDocs_AndThePageNamesTheCode()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        using var anonymous = Cluster.Client();

        using var refused = await client.PostAsJsonAsync("/v1/customers", new { email = "not-an-email" });
        var problem = await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "parameter_invalid", "email");
        var type = problem.GetProperty("type").GetString()!;
        using var page = await anonymous.GetAsync(new Uri(client.BaseAddress!, type));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("/docs/errors#parameter_invalid", type);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"parameter_invalid\"", html);
        Assert.Contains("id=\"resource_missing\"", html);
    }

    [Fact]
    public async Task KnownStartingAfter_StillPages()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var only = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Only" }))).GetProperty("id").GetString();

        var after = await ClusterFixture.Json(await client.GetAsync($"/v1/customers?starting_after={only}"));

        Assert.Equal(0, after.GetProperty("data").GetArrayLength());
        Assert.False(after.GetProperty("has_more").GetBoolean());
    }

    /// <summary>
    /// Issue 25 item 5: a lone UTF-16 surrogate escape in any string of a usage event (one or a batch) was a
    /// 500 from the first reader that decoded it; it is 400 <c>invalid_json</c> naming the field, and nothing is counted.
    /// </summary>
    [Theory]
    [InlineData("""{"event_id": "e\ud800", "customer": "{customer}", "metric": "calls", "quantity": 1}""", "event_id")]
    [InlineData("""{"event_id": "e1", "customer": "cus_\ud800", "metric": "calls", "quantity": 1}""", "customer")]
    [InlineData("""{"event_id": "e1", "customer": "{customer}", "metric": "calls\udfff", "quantity": 1}""", "metric")]
    [InlineData("""{"event_id": "e1", "customer": "{customer}", "metric": "calls", "quantity": 1, "properties": {"region": "\ud800eu"}}""", "region")]
    [InlineData("""{"event_id": "e1", "customer": "{customer}", "metric": "calls", "quantity": 1, "properties": {"\udbff": "eu"}}""", null)]
    [InlineData("""{"events": [{"event_id": "ok1", "customer": "{customer}", "metric": "calls", "quantity": 1}, {"event_id": "\ud800", "customer": "{customer}", "metric": "calls", "quantity": 1}]}""", "event_id")]
    public async Task UsageEvent_LoneSurrogateInAnyString_Is400InvalidJson(string template, string? param)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Metered" }))).GetProperty("id").GetString()!;
        var body = template.Replace("{customer}", customer, StringComparison.Ordinal);

        using var response = await client.PostAsync("/v1/usage_events", new StringContent(body, Encoding.UTF8, "application/json"));
        // The refused request recorded nothing: the batch's valid event is new when sent again.
        var resent = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events",
            new { events = new[] { new { event_id = "ok1", customer, metric = "calls", quantity = 1 } } }));

        var problem = await ProblemAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal("invalid_json", problem.GetProperty("code").GetString());
        Assert.Equal(param, problem.TryGetProperty("param", out var actual) ? actual.GetString() : null);
        Assert.NotEqual("duplicate", resent.GetProperty("data")[0].GetProperty("status").GetString());
    }

    /// <summary>Issue 25 item 8: refusals of query values the framework binds are in our words, whatever the value.</summary>
    [Theory]
    [InlineData("/v1/customers?limit=99999999999999999999")]
    [InlineData("/v1/customers?limit=1&limit=2")]
    [InlineData("/v1/customers?limit=")]
    [InlineData("/v1/payment_intents?limit=%E2%80%AE1")]
    public async Task OddQueryValues_AreRefusedInOurWords(string path)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        using var response = await client.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "limit");
    }

    /// <summary>Issue 25 item 8: no response names the server software (Kestrel's default <c>Server: Kestrel</c>).</summary>
    [Fact]
    public async Task NoResponse_NamesTheServer()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        using var anonymous = Cluster.Client();

        using var ok = await client.GetAsync("/v1/customers");
        using var refused = await client.GetAsync("/v1/customers?limit=abc");
        using var missing = await client.GetAsync("/v1/no_such_route");
        using var unauthenticated = await anonymous.GetAsync("/v1/customers");
        using var health = await anonymous.GetAsync("/health/live");

        foreach (var response in new[] { ok, refused, missing, unauthenticated, health })
        {
            Assert.False(response.Headers.Contains("Server"), $"{response.RequestMessage?.RequestUri}: Server: {string.Join(",", response.Headers.Server)}");
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.OK],
            new[] { ok, refused, missing, unauthenticated, health }.Select(r => r.StatusCode));
    }

    private static async Task<HttpResponseMessage> PayAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Key());
        return await client.SendAsync(request);
    }

    /// <summary>A unique Idempotency-Key without digit runs (the card-data guard refuses those).</summary>
    private static string Key() => "refusal-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + c - '0') : c));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var phrase in FrameworkPhrases)
        {
            Assert.DoesNotContain(phrase, text, StringComparison.Ordinal);
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        var problem = await ProblemAsync(response);
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(problem.TryGetProperty("param", out var actual), problem.ToString());
        Assert.Equal(param, actual.GetString());
        return problem;
    }
}
