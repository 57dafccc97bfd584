using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.DataProtection;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.DataProtection;

/// <summary>GET /v1/customers/{id}/export and POST /v1/customers/{id}/erase over every store that holds a customer's data.</summary>
[Collection(DataProtectionCollection.Name)]
public sealed class CustomerPrivacyTests(DataProtectionClusterFixture fixture)
{
    [Fact]
    public async Task ExportThenErase_ExportHoldsEveryKindOfRecord_EraseLeavesNoPersonalFieldAndKeepsTotals()
    {
        var (tenantId, client) = await fixture.TenantAsync();
        using var _ = client;
        var person = await PersonAsync(client);

        // Export: every kind of record, personal audit details readable.
        var export = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{person.CustomerId}/export"));
        Assert.Equal("customer_export", export.GetProperty("object").GetString());
        Assert.Equal(person.Email, export.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal(person.KeyId, Assert.Single(export.GetProperty("api_keys").EnumerateArray()).GetProperty("id").GetString());
        var metric = Assert.Single(export.GetProperty("usage").GetProperty("data").EnumerateArray());
        Assert.Equal(5m, metric.GetProperty("sum").GetDecimal());
        var payment = Assert.Single(export.GetProperty("payments").EnumerateArray());
        Assert.Equal(1000, payment.GetProperty("amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("client_secret").ValueKind);
        Assert.Contains(export.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "customer.updated");
        var audit = export.GetProperty("audit_events").EnumerateArray().ToList();
        var updated = Assert.Single(audit, e => e.GetProperty("action").GetString() == "customer.updated");
        Assert.Equal(person.Renamed, updated.GetProperty("details").GetProperty("name").GetString());
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "customer_api_key.issued");
        Assert.DoesNotContain("4242424242424242", export.GetRawText(), StringComparison.Ordinal);
        var usageBefore = (await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{person.CustomerId}/usage"))).GetProperty("data").GetRawText();

        // Erase: done in one go when nothing fails.
        var erased = await ClusterFixture.Json(await client.PostAsync($"/v1/customers/{person.CustomerId}/erase", null));
        Assert.Equal("completed", erased.GetProperty("status").GetString());
        Assert.Equal(["record", "usage", "events", "subscription", "stripe", "audit"], erased.GetProperty("steps_completed").EnumerateArray().Select(s => s.GetString()));

        var customer = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{person.CustomerId}"));
        Assert.Equal("erased", customer.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, customer.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, customer.GetProperty("name").ValueKind);
        Assert.Empty(customer.GetProperty("metadata").EnumerateObject());

        // Its key is revoked, it takes no more usage and no more changes.
        using (var own = fixture.Cluster.Client())
        {
            own.DefaultRequestHeaders.Add("X-API-Key", person.KeySecret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await own.GetAsync($"/v1/customers/{person.CustomerId}")).StatusCode);
        }
        var refused = await client.PostAsJsonAsync("/v1/usage_events", new { event_id = "after-erase", customer = person.CustomerId, metric = "api_calls", quantity = 1 });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("customer_erased", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var patch = await client.PatchAsJsonAsync($"/v1/customers/{person.CustomerId}", new { name = "Back" });
        Assert.Equal(HttpStatusCode.Conflict, patch.StatusCode);

        // Financial records are unchanged: usage totals (unique counts included) and the payment.
        var usageAfter = (await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{person.CustomerId}/usage"))).GetProperty("data").GetRawText();
        Assert.Equal(usageBefore, usageAfter);
        var paymentAfter = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents/{person.PaymentId}"));
        Assert.Equal(1000, paymentAfter.GetProperty("amount").GetInt64());
        Assert.Equal("succeeded", paymentAfter.GetProperty("status").GetString());

        // No personal field anywhere: every table (grain state, usage log, events, audit, keys) and Stripe.
        Assert.Empty(await DatabaseScan.FindAsync(fixture.ConnectionString, [person.Email, person.Name, person.Renamed, person.PropertyValue, person.MetadataValue]));
        var stripeCustomer = fixture.Stripe.Requests.Entries.Single(r => r.Method == "POST" && r.Path == "/v1/customers" && r.Body.Contains(person.CustomerId, StringComparison.Ordinal));
        Assert.Contains(fixture.Stripe.Requests.Entries, r => r.Method == "DELETE" && r.Path.StartsWith("/v1/customers/cus_", StringComparison.Ordinal) && r.StatusCode == 200);
        Assert.NotNull(stripeCustomer);

        // The audit chain still verifies, says who erased, and the export now shows the personal details as erased.
        var verify = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean());
        var after = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{person.CustomerId}/export"));
        var auditAfter = after.GetProperty("audit_events").EnumerateArray().ToList();
        Assert.Equal("[erased]", Assert.Single(auditAfter, e => e.GetProperty("action").GetString() == "customer.updated").GetProperty("details").GetProperty("name").GetString());
        var erasedEntry = Assert.Single(auditAfter, e => e.GetProperty("action").GetString() == "customer.erased");
        Assert.StartsWith("key_", erasedEntry.GetProperty("actor").GetString());
        Assert.Equal("1", erasedEntry.GetProperty("details").GetProperty("keys_revoked").GetString());
        // The export read the log before recording itself: it shows the earlier export only.
        Assert.Single(auditAfter, e => e.GetProperty("action").GetString() == "customer.exported");

        // Idempotent: erasing again changes nothing and writes no second entry.
        var again = await client.PostAsync($"/v1/customers/{person.CustomerId}/erase", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var entries = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events?limit=100"));
        Assert.Single(entries.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "customer.erased");
        Assert.Equal(2, entries.GetProperty("data").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "customer.exported"));

        // The tenant's backend hears of it once (customer.erased), with nothing personal in the event.
        var events = await ClusterFixture.Json(await client.GetAsync("/v1/events?type=customer.erased"));
        var erasedEvent = Assert.Single(events.GetProperty("data").EnumerateArray());
        Assert.Equal(person.CustomerId, erasedEvent.GetProperty("data").GetProperty("object").GetProperty("id").GetString());
        Assert.DoesNotContain(person.Email, erasedEvent.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_WhenStripeFailsHalfway_IsResumedByTheReminderUntilComplete()
    {
        var (tenantId, client) = await fixture.TenantAsync();
        using var _ = client;
        var person = await PersonAsync(client);
        using (var control = new HttpClient { BaseAddress = new Uri(fixture.Stripe.BaseUrl) })
        {
            (await control.PostAsync("/_fake/faults", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["kind"] = "error", ["path_prefix"] = "/v1/customers/", ["method"] = "DELETE", ["count"] = "1000",
            }))).EnsureSuccessStatusCode();
        }
        HttpResponseMessage first;
        try
        {
            first = await client.PostAsync($"/v1/customers/{person.CustomerId}/erase", null);
        }
        finally
        {
            fixture.Stripe.Faults.Clear();
        }

        // Half done: the record is already erased, Stripe is still to do, and the caller is told so.
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var pending = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("in_progress", pending.GetProperty("status").GetString());
        Assert.Equal(["record", "usage", "events", "subscription"], pending.GetProperty("steps_completed").EnumerateArray().Select(s => s.GetString()));
        Assert.StartsWith("PlatformException", pending.GetProperty("last_error").GetString());
        Assert.Equal("erased", (await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{person.CustomerId}"))).GetProperty("status").GetString());

        // Nobody calls again: the reminder resumes it.
        var privacy = fixture.Cluster.ClusterClient.GetGrain<ICustomerPrivacyGrain>(PlatformIds.CustomerKey(tenantId, person.CustomerId));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        CustomerErasure? erasure;
        while ((erasure = await privacy.GetErasureAsync())!.Status != ErasureStatus.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the erasure was not resumed within 60 s: {erasure}");
            await Task.Delay(200);
        }
        Assert.Equal([ErasureStep.Record, ErasureStep.Usage, ErasureStep.Events, ErasureStep.Subscription, ErasureStep.Stripe, ErasureStep.Audit], erasure.StepsCompleted);
        Assert.True(erasure.Attempts >= 1);
        Assert.Null(erasure.LastError);
        Assert.Contains(fixture.Stripe.Requests.Entries, r => r.Method == "DELETE" && r.Path.StartsWith("/v1/customers/cus_", StringComparison.Ordinal) && r.StatusCode == 200);
        var entries = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events?limit=100"));
        Assert.Single(entries.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "customer.erased");
        Assert.Empty(await DatabaseScan.FindAsync(fixture.ConnectionString, [person.Email, person.Renamed, person.PropertyValue]));
    }

    [Fact]
    public async Task ExportAndErase_AnotherTenantsCustomerOrAReadKey_AreRefused()
    {
        var (_, owner) = await fixture.TenantAsync();
        var (_, stranger) = await fixture.TenantAsync();
        using var __ = owner;
        using var ___ = stranger;
        var customerId = (await ClusterFixture.Json(await owner.PostAsJsonAsync("/v1/customers", new { email = "kept@example.com" }))).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v1/customers/{customerId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/v1/customers/{customerId}/erase", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PostAsync("/v1/customers/not_a_customer/erase", null)).StatusCode);
        Assert.Equal("active", (await ClusterFixture.Json(await owner.GetAsync($"/v1/customers/{customerId}"))).GetProperty("status").GetString());
    }

    private sealed record Person(string CustomerId, string Email, string Name, string Renamed, string KeyId, string KeySecret,
        string PaymentId, string PropertyValue, string MetadataValue);

    /// <summary>A customer with something in every store: profile, audit, a key, usage with a personal property, a Stripe customer and a payment.</summary>
    private static async Task<Person> PersonAsync(HttpClient client)
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"grace.{tag}@example.com";
        var name = $"Grace Brewster {tag}";
        var renamed = $"Grace Hopper {tag}";
        var metadataValue = $"crm-{tag}";
        var customerId = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers",
            new { email, name, metadata = new Dictionary<string, string> { ["crm"] = metadataValue } }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PatchAsJsonAsync($"/v1/customers/{customerId}", new { name = renamed }));
        var key = await ClusterFixture.Json(await client.PostAsync($"/v1/customers/{customerId}/api_keys", null));
        var propertyValue = $"user-{tag}";
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", new
        {
            events = new object[]
            {
                new { event_id = "e1-" + tag, customer = customerId, metric = "api_calls", quantity = 2, properties = new { user = propertyValue } },
                new { event_id = "e2-" + tag, customer = customerId, metric = "api_calls", quantity = 3, properties = new { user = "other-" + tag } },
            },
        }));
        var method = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId }))).GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents")
        {
            Content = JsonContent.Create(new { customer = customerId, amount = 1000, currency = "usd", payment_method = method, confirm = true }),
        };
        request.Headers.Add("Idempotency-Key", "pay-" + tag);
        var payment = await ClusterFixture.Json(await client.SendAsync(request));
        return new Person(customerId, email, name, renamed, key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!,
            payment.GetProperty("id").GetString()!, propertyValue, metadataValue);
    }
}
