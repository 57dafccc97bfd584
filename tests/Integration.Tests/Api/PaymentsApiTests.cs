using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Grains.Pci.Outbound;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>The PCI routes over real HTTP: API → core silo gateway → pci silo → Stripe.net → the Stripe fake.</summary>
[Collection(PciClusterCollection.Name)]
public sealed class PaymentsApiTests(PciClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Payment_SetupAttachConfirmAndRefund_GoesThroughStripeAndTagsEveryObject()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);

        var publishable = await ClusterFixture.Json(await client.GetAsync("/v1/payment_methods/publishable_key"));
        var setup = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/setup_intents", new { customer = customerId }));
        var attached = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId }));
        var paymentMethodId = attached.GetProperty("id").GetString()!;
        var listed = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/payment_methods"));
        var payment = await ClusterFixture.Json(await Post(client, "/v1/payment_intents",
            new { customer = customerId, amount = 1000, currency = "usd", payment_method = paymentMethodId, confirm = true }, Key()));
        var paymentId = payment.GetProperty("id").GetString()!;
        var read = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents/{paymentId}"));
        var partial = await ClusterFixture.Json(await Post(client, "/v1/refunds", new { payment_intent = paymentId, amount = 300 }, Key()));
        var afterPartial = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents/{paymentId}"));
        var rest = await ClusterFixture.Json(await Post(client, "/v1/refunds", new { payment_intent = paymentId }, Key()));
        var afterFull = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents/{paymentId}"));
        var oneMore = await Post(client, "/v1/refunds", new { payment_intent = paymentId, amount = 1 }, Key());
        var list = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents?customer={customerId}"));

        Assert.Equal(PciClusterFixture.StripePublishableKey, publishable.GetProperty("publishable_key").GetString());
        Assert.StartsWith("seti_", setup.GetProperty("id").GetString());
        Assert.Contains("_secret_", setup.GetProperty("client_secret").GetString());
        Assert.StartsWith("pm_", paymentMethodId);
        Assert.NotEqual("pm_card_visa", paymentMethodId);
        Assert.Equal(customerId, attached.GetProperty("customer").GetString());
        Assert.Equal("4242", attached.GetProperty("card").GetProperty("last4").GetString());
        Assert.Equal(paymentMethodId, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        Assert.StartsWith("pay_", paymentId);
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        var stripeId = payment.GetProperty("stripe_id").GetString()!;
        Assert.StartsWith("pi_", stripeId);
        Assert.Equal("succeeded", read.GetProperty("status").GetString());
        Assert.Equal(300, partial.GetProperty("amount").GetInt64());
        Assert.Equal(paymentId, partial.GetProperty("payment_intent").GetString());
        Assert.Equal("partially_refunded", afterPartial.GetProperty("status").GetString());
        Assert.Equal(300, afterPartial.GetProperty("amount_refunded").GetInt64());
        Assert.Equal(700, rest.GetProperty("amount").GetInt64());
        Assert.Equal("refunded", afterFull.GetProperty("status").GetString());
        Assert.Equal(1000, afterFull.GetProperty("amount_refunded").GetInt64());
        await AssertProblem(oneMore, HttpStatusCode.BadRequest, "charge_already_refunded");
        var listedPayment = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(paymentId, listedPayment.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, listedPayment.GetProperty("client_secret").ValueKind);

        var stripe = fixture.Stripe.State;
        var charge = Assert.Single(stripe.List("charge"), c => (string?)c["payment_intent"] == stripeId);
        Assert.Equal(1000, (long)charge["amount_refunded"]!);
        var objects = new List<JsonObject>
        {
            Assert.Single(stripe.List("customer"), c => (string?)c["metadata"]?["customer_id"] == customerId),
            stripe.Get(setup.GetProperty("id").GetString()!)!,
            stripe.Get(paymentMethodId)!,
            stripe.Get(stripeId)!,
            stripe.Get(partial.GetProperty("stripe_id").GetString()!)!,
            stripe.Get(rest.GetProperty("stripe_id").GetString()!)!,
        };
        Assert.All(objects, o =>
        {
            Assert.Equal(tenant.Id, (string?)o["metadata"]?["tenant_id"]);
            Assert.Equal(customerId, (string?)o["metadata"]?["customer_id"]);
        });
        Assert.Equal(paymentId, (string?)stripe.Get(stripeId)!["metadata"]?["payment_id"]);
    }

    [Fact]
    public async Task CreatePaymentIntent_FirstResponseDelayedPastTheAttemptTimeout_ChargesOnce()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);
        var paymentMethodId = await AttachAsync(client, customerId, "pm_card_visa");
        var key = Key();
        var body = new { customer = customerId, amount = 4200, currency = "eur", payment_method = paymentMethodId, confirm = true };
        // Stripe commits the charge, then its answer takes 4 s; the pci silo gives an attempt 2 s and retries.
        fixture.Stripe.Faults.DelayResponseAfterCommit("/v1/payment_intents", TimeSpan.FromSeconds(4), method: "POST");

        var first = await ClusterFixture.Json(await Post(client, "/v1/payment_intents", body, key));
        var retried = await ClusterFixture.Json(await Post(client, "/v1/payment_intents", body, key));
        var otherBody = await Post(client, "/v1/payment_intents", body with { amount = 4201 }, key);

        Assert.Equal("succeeded", first.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), retried.GetProperty("id").GetString());
        var stripeId = first.GetProperty("stripe_id").GetString()!;
        Assert.Equal(stripeId, retried.GetProperty("stripe_id").GetString());
        await AssertProblem(otherBody, HttpStatusCode.Conflict, "idempotency_key_in_use");

        var stripeKey = StripeIdempotencyKeys.For("payment_intent", tenant.Id, first.GetProperty("id").GetString()!);
        Assert.Equal(1, fixture.Stripe.State.CountPaymentIntentsCreated(stripeKey));
        Assert.Single(fixture.Stripe.State.List("charge"), c => (string?)c["payment_intent"] == stripeId);
        var attempts = fixture.Stripe.Requests.Entries.Where(r => r.IdempotencyKey == stripeKey).ToList();
        Assert.True(attempts.Count >= 2, $"expected a timed-out attempt and a retry, saw {attempts.Count}");
        Assert.Contains(attempts, a => a.Replayed);
    }

    /// <summary>Issue 10's payment events: published with the change that causes them, once each, without card data.</summary>
    [Fact]
    public async Task PaymentEvents_SucceededRefundedAndFailed_ArePublishedOnceEach_WithoutSecrets()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);
        var visa = await AttachAsync(client, customerId, "pm_card_visa");
        var payKey = Key();
        var paid = await ClusterFixture.Json(await Post(client, "/v1/payment_intents",
            new { customer = customerId, amount = 1000, currency = "usd", payment_method = visa, confirm = true }, payKey));
        var paymentId = paid.GetProperty("id").GetString()!;
        // A retry of the same request is the same payment and no second event.
        await ClusterFixture.Json(await Post(client, "/v1/payment_intents",
            new { customer = customerId, amount = 1000, currency = "usd", payment_method = visa, confirm = true }, payKey));
        await ClusterFixture.Json(await Post(client, "/v1/refunds", new { payment_intent = paymentId, amount = 300 }, Key()));
        var declining = await AttachAsync(client, customerId, "pm_card_chargeDeclinedInsufficientFunds");
        var declined = await Post(client, "/v1/payment_intents",
            new { customer = customerId, amount = 500, currency = "usd", payment_method = declining, confirm = true }, Key());
        await AssertProblem(declined, HttpStatusCode.PaymentRequired, "card_declined");

        var events = await ClusterFixture.Json(await client.GetAsync("/v1/events?limit=100"));
        var payments = events.GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString()!.StartsWith("payment.", StringComparison.Ordinal)).ToList();

        Assert.Equal(["payment.failed", "payment.refunded", "payment.succeeded"], payments.Select(e => e.GetProperty("type").GetString()).Order());
        var succeeded = payments.Single(e => e.GetProperty("type").GetString() == "payment.succeeded").GetProperty("data").GetProperty("object");
        Assert.Equal(paymentId, succeeded.GetProperty("id").GetString());
        Assert.Equal("succeeded", succeeded.GetProperty("status").GetString());
        Assert.Equal(1000, succeeded.GetProperty("amount").GetInt64());
        var refunded = payments.Single(e => e.GetProperty("type").GetString() == "payment.refunded").GetProperty("data").GetProperty("object");
        Assert.Equal(300, refunded.GetProperty("amount_refunded").GetInt64());
        Assert.Equal("partially_refunded", refunded.GetProperty("status").GetString());
        var failed = payments.Single(e => e.GetProperty("type").GetString() == "payment.failed").GetProperty("data").GetProperty("object");
        Assert.Equal("insufficient_funds", failed.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
        foreach (var e in payments)
        {
            Assert.False(e.GetProperty("data").GetProperty("object").TryGetProperty("client_secret", out _));
            Assert.DoesNotContain("4242424242424242", e.GetRawText());
        }
    }

    [Fact]
    public async Task CreatePaymentIntent_DeclinedCard_Is402WithDeclineCodeAndReplaysOnRetry()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);
        var paymentMethodId = await AttachAsync(client, customerId, "pm_card_chargeDeclinedInsufficientFunds");
        var key = Key();
        var body = new { customer = customerId, amount = 500, currency = "usd", payment_method = paymentMethodId, confirm = true };

        var declined = await Post(client, "/v1/payment_intents", body, key);
        var again = await Post(client, "/v1/payment_intents", body, key);

        var problem = await AssertProblem(declined, HttpStatusCode.PaymentRequired, "card_declined");
        Assert.Equal("insufficient_funds", problem.GetProperty("decline_code").GetString());
        Assert.Equal("payment_method", problem.GetProperty("param").GetString());
        Assert.DoesNotContain("Your card", problem.GetProperty("detail").GetString());
        var replayed = await AssertProblem(again, HttpStatusCode.PaymentRequired, "card_declined");
        Assert.Equal("insufficient_funds", replayed.GetProperty("decline_code").GetString());
        var list = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents?customer={customerId}"));
        var payment = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("requires_payment_method", payment.GetProperty("status").GetString());
        Assert.Equal("insufficient_funds", payment.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
        Assert.Single(fixture.Stripe.State.List("payment_intent"), p => (string?)p["metadata"]?["payment_id"] == payment.GetProperty("id").GetString());
    }

    [Fact]
    public async Task StripeCustomer_ManyConcurrentFirstCalls_IsCreatedOnce()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostAsJsonAsync("/v1/setup_intents", new { customer = customerId })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(fixture.Stripe.State.List("customer"), c => (string?)c["metadata"]?["customer_id"] == customerId);
        var setupIntents = fixture.Stripe.State.List("setup_intent").Where(s => (string?)s["metadata"]?["customer_id"] == customerId).ToList();
        Assert.Equal(8, setupIntents.Count);
        Assert.Single(setupIntents.Select(s => (string?)s["customer"]).Distinct());
    }

    [Fact]
    public async Task ReadKey_MayReadButNotMoveMoney_403()
    {
        var tenant = await fixture.CreateTenantAsync();
        var readSecret = await fixture.CreateKeyAsync(tenant.Id, "read");
        var financeSecret = await fixture.CreateKeyAsync(tenant.Id, "finance");
        using var admin = Cluster.Client(tenant.Secret);
        using var reader = Cluster.Client(readSecret);
        using var finance = Cluster.Client(financeSecret);
        var customerId = await NewCustomerAsync(admin);
        var paymentMethodId = await AttachAsync(admin, customerId, "pm_card_visa");
        var payment = await ClusterFixture.Json(await Post(admin, "/v1/payment_intents",
            new { customer = customerId, amount = 800, currency = "usd", payment_method = paymentMethodId, confirm = true }, Key()));
        var paymentId = payment.GetProperty("id").GetString()!;

        var readRefund = await Post(reader, "/v1/refunds", new { payment_intent = paymentId }, Key());
        var readCreate = await Post(reader, "/v1/payment_intents", new { customer = customerId, amount = 1, currency = "usd" }, Key());
        var readAttach = await reader.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId });
        var readGet = await reader.GetAsync($"/v1/payment_intents/{paymentId}");
        var financeRefund = await Post(finance, "/v1/refunds", new { payment_intent = paymentId, amount = 100 }, Key());

        await AssertProblem(readRefund, HttpStatusCode.Forbidden, "insufficient_permissions");
        await AssertProblem(readCreate, HttpStatusCode.Forbidden, "insufficient_permissions");
        await AssertProblem(readAttach, HttpStatusCode.Forbidden, "insufficient_permissions");
        Assert.Equal(HttpStatusCode.OK, readGet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, financeRefund.StatusCode);
    }

    [Fact]
    public async Task AnotherTenantsCustomerAndPayment_Are404Everywhere()
    {
        var owner = await fixture.CreateTenantAsync();
        var intruder = await fixture.CreateTenantAsync();
        using var ownerClient = Cluster.Client(owner.Secret);
        using var intruderClient = Cluster.Client(intruder.Secret);
        var customerId = await NewCustomerAsync(ownerClient);
        var paymentMethodId = await AttachAsync(ownerClient, customerId, "pm_card_visa");
        var payment = await ClusterFixture.Json(await Post(ownerClient, "/v1/payment_intents",
            new { customer = customerId, amount = 900, currency = "usd", payment_method = paymentMethodId, confirm = true }, Key()));
        var paymentId = payment.GetProperty("id").GetString()!;
        var intruderCustomer = await NewCustomerAsync(intruderClient);

        var responses = new[]
        {
            await intruderClient.PostAsJsonAsync("/v1/setup_intents", new { customer = customerId }),
            await intruderClient.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId }),
            await intruderClient.PostAsJsonAsync($"/v1/payment_methods/{paymentMethodId}/detach", new { customer = customerId }),
            await intruderClient.GetAsync($"/v1/customers/{customerId}/payment_methods"),
            await Post(intruderClient, "/v1/payment_intents", new { customer = customerId, amount = 1, currency = "usd" }, Key()),
            await intruderClient.GetAsync($"/v1/payment_intents/{paymentId}"),
            await intruderClient.GetAsync($"/v1/payment_intents?customer={customerId}"),
            await Post(intruderClient, "/v1/refunds", new { payment_intent = paymentId }, Key()),
            // The owner's card, named through the intruder's own customer, is not the intruder's to use or detach.
            await Post(intruderClient, "/v1/payment_intents",
                new { customer = intruderCustomer, amount = 1, currency = "usd", payment_method = paymentMethodId, confirm = true }, Key()),
            await intruderClient.PostAsJsonAsync($"/v1/payment_methods/{paymentMethodId}/detach", new { customer = intruderCustomer }),
        };

        foreach (var response in responses)
        {
            await AssertProblem(response, HttpStatusCode.NotFound, "resource_missing");
        }
        var ownerView = await ClusterFixture.Json(await ownerClient.GetAsync($"/v1/payment_intents/{paymentId}"));
        Assert.Equal(0, ownerView.GetProperty("amount_refunded").GetInt64());
        var methods = await ClusterFixture.Json(await ownerClient.GetAsync($"/v1/customers/{customerId}/payment_methods"));
        Assert.Single(methods.GetProperty("data").EnumerateArray());
    }

    /// <summary>
    /// Issue 25 item 7: another tenant's pm_… is answered exactly as an id that does not exist (it was a 400
    /// <c>payment_method_unexpected_state</c>: an oracle for which payment methods exist), and stays its owner's.
    /// </summary>
    [Fact]
    public async Task AttachPaymentMethod_AnotherTenantsMethod_AnswersAsAnUnknownId()
    {
        var owner = await fixture.CreateTenantAsync();
        var intruder = await fixture.CreateTenantAsync();
        using var ownerClient = Cluster.Client(owner.Secret);
        using var intruderClient = Cluster.Client(intruder.Secret);
        var ownerCustomer = await NewCustomerAsync(ownerClient);
        var paymentMethodId = await AttachAsync(ownerClient, ownerCustomer, "pm_card_visa");
        var intruderCustomer = await NewCustomerAsync(intruderClient);
        // The intruder's own other customer too: a method attached elsewhere is not "in the wrong state" but unknown.
        var sibling = await NewCustomerAsync(ownerClient);

        using var foreign = await intruderClient.PostAsJsonAsync($"/v1/payment_methods/{paymentMethodId}/attach", new { customer = intruderCustomer });
        using var unknown = await intruderClient.PostAsJsonAsync("/v1/payment_methods/pm_1NoSuchMethodAtAllXyz/attach", new { customer = intruderCustomer });
        using var otherCustomer = await ownerClient.PostAsJsonAsync($"/v1/payment_methods/{paymentMethodId}/attach", new { customer = sibling });

        var foreignProblem = await AssertProblem(foreign, HttpStatusCode.NotFound, "resource_missing");
        var unknownProblem = await AssertProblem(unknown, HttpStatusCode.NotFound, "resource_missing");
        var siblingProblem = await AssertProblem(otherCustomer, HttpStatusCode.NotFound, "resource_missing");
        foreach (var field in new[] { "title", "detail", "param", "type" })
        {
            Assert.Equal(unknownProblem.GetProperty(field).ToString(), foreignProblem.GetProperty(field).ToString());
            Assert.Equal(unknownProblem.GetProperty(field).ToString(), siblingProblem.GetProperty(field).ToString());
        }
        Assert.Equal("payment_method", foreignProblem.GetProperty("param").GetString());
        var methods = await ClusterFixture.Json(await ownerClient.GetAsync($"/v1/customers/{ownerCustomer}/payment_methods"));
        Assert.Equal(ownerCustomer, Assert.Single(methods.GetProperty("data").EnumerateArray()).GetProperty("customer").GetString());
    }

    [Fact]
    public async Task DetachPaymentMethod_RemovesItFromTheCustomer()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);
        var paymentMethodId = await AttachAsync(client, customerId, "pm_card_mastercard");

        var detached = await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/payment_methods/{paymentMethodId}/detach", new { customer = customerId }));
        var list = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/payment_methods"));
        var pay = await Post(client, "/v1/payment_intents",
            new { customer = customerId, amount = 100, currency = "usd", payment_method = paymentMethodId, confirm = true }, Key());

        Assert.Equal(JsonValueKind.Null, detached.GetProperty("customer").ValueKind);
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        await AssertProblem(pay, HttpStatusCode.NotFound, "resource_missing");
    }

    [Theory]
    [InlineData(null, """{"amount":100,"currency":"usd"}""", 400, "parameter_missing", "Idempotency-Key")]
    [InlineData("k", """{"amount":100,"currency":"usd"}""", 400, "parameter_missing", "customer")]
    [InlineData("k", """{"customer":"CUSTOMER","amount":0,"currency":"usd"}""", 400, "parameter_invalid", "amount")]
    [InlineData("k", """{"customer":"CUSTOMER","amount":100,"currency":"dollars"}""", 400, "parameter_invalid", "currency")]
    [InlineData("k", """{"customer":"CUSTOMER","amount":100,"currency":"usd","payment_method":"card_visa"}""", 400, "parameter_invalid", "payment_method")]
    // A card number never gets this far: the API's card-data guard refuses the body first.
    [InlineData("k", """{"customer":"CUSTOMER","amount":100,"currency":"usd","payment_method":"4242424242424242"}""", 400, "card_data_forbidden", null)]
    [InlineData("k", """{"customer":"CUSTOMER","amount":100,"currency":"usd","confirm":true}""", 400, "parameter_missing", "payment_method")]
    [InlineData("k", """{"customer":"CUSTOMER","amount":100,"currency":"usd","metadata":{"tenant_id":"x"}}""", 400, "parameter_invalid", "metadata[tenant_id]")]
    [InlineData("k", """{"customer":"cus_doesnotexist","amount":100,"currency":"usd"}""", 404, "resource_missing", "customer")]
    public async Task CreatePaymentIntent_WithBadInput_IsRefusedBeforeStripe(string? key, string body, int status, string code, string? param)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customerId = await NewCustomerAsync(client);
        var before = fixture.Stripe.State.Count("payment_intent");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents")
        {
            Content = new StringContent(body.Replace("CUSTOMER", customerId), System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key + Guid.NewGuid());
        }

        var response = await client.SendAsync(request);

        var problem = await AssertProblem(response, (HttpStatusCode)status, code);
        if (param is not null)
        {
            Assert.Equal(param, problem.GetProperty("param").GetString());
        }
        Assert.Equal(before, fixture.Stripe.State.Count("payment_intent"));
    }

    /// <summary>A unique key without digit runs: a Guid's hex now and then holds a Luhn-valid run the card-data guard refuses.</summary>
    private static string Key() => "test-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + c - '0') : c));

    private static async Task<string> NewCustomerAsync(HttpClient client)
    {
        var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { email = "payer@example.com" }));
        return customer.GetProperty("id").GetString()!;
    }

    private static async Task<string> AttachAsync(HttpClient client, string customerId, string token)
    {
        var attached = await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/payment_methods/{token}/attach", new { customer = customerId }));
        return attached.GetProperty("id").GetString()!;
    }

    private static async Task<HttpResponseMessage> Post<T>(HttpClient client, string url, T body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
