using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Webhooks;

[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private WebhookReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task CustomerCreated_IsDeliveredSigned_AndVerifiesWithStripeEventUtility()
    {
        var (_, client) = await fixture.TenantAsync();
        var url = Receiver.NewUrl(out var path);
        var endpoint = await CreateEndpointAsync(client, url, "customer.created");
        var secret = endpoint.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);

        var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { email = "jenny@example.com", name = "Jenny" }));
        var customerId = customer.GetProperty("id").GetString()!;

        var delivery = (await Receiver.WaitAsync(path, r => r.Count >= 1, Patience)).Single();
        Assert.StartsWith("application/json", delivery.ContentType);
        Assert.StartsWith("whd_", delivery.DeliveryId);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", delivery.Signature);
        // Stripe's own verification, unchanged: the scheme is Stripe's.
        Stripe.EventUtility.ValidateSignature(delivery.Body, delivery.Signature, secret, 300);
        var parsed = Stripe.EventUtility.ConstructEvent(delivery.Body, delivery.Signature, secret, 300, throwOnApiVersionMismatch: false);
        Assert.Equal("customer.created", parsed.Type);
        Assert.Equal(customerId, Assert.IsType<Stripe.Customer>(parsed.Data.Object).Id);
        Assert.Throws<Stripe.StripeException>(() => Stripe.EventUtility.ValidateSignature(delivery.Body + " ", delivery.Signature, secret, 300));

        // data.object is the customer exactly as the API shows it; the event is listed with the same body.
        var body = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("event", body.GetProperty("object").GetString());
        Assert.Equal(delivery.EventId, body.GetProperty("id").GetString());
        Assert.True(JsonElement.DeepEquals(customer, body.GetProperty("data").GetProperty("object")), body.ToString());
        var listed = await ClusterFixture.Json(await client.GetAsync($"/v1/events/{delivery.EventId}"));
        Assert.True(JsonElement.DeepEquals(body, listed), listed.ToString());
    }

    [Fact]
    public async Task Receiver_FailingThreeTimesThenOk_GetsTheEventOnceAsSuccessAfterBackoff()
    {
        var (_, client) = await fixture.TenantAsync();
        var url = Receiver.NewUrl(out var path, call => Task.FromResult(call <= 3 ? 500 : 200));
        var endpointId = (await CreateEndpointAsync(client, url, "*")).GetProperty("id").GetString()!;

        await client.PostAsJsonAsync("/v1/customers", new { name = "Retry" });

        var received = await Receiver.WaitAsync(path, r => r.Any(x => x.Answered == 200), Patience);
        Assert.Equal([500, 500, 500, 200], received.Select(r => r.Answered));
        Assert.Single(received.Select(r => r.DeliveryId).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
        var delivery = await WaitForDeliveryAsync(client, endpointId, "succeeded");
        Assert.Equal(4, delivery.GetProperty("attempt_count").GetInt32());
        Assert.Equal([500, 500, 500, 200], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        await Task.Delay(500);
        Assert.Equal(4, Receiver.Received(path).Count);
    }

    [Fact]
    public async Task FailedDelivery_AfterTheLastAttempt_IsMarkedFailed_AndAManualRetryDeliversIt()
    {
        var (_, client) = await fixture.TenantAsync();
        var answer = 503;
        var url = Receiver.NewUrl(out var path, _ => Task.FromResult(answer));
        var endpointId = (await CreateEndpointAsync(client, url, "customer.created")).GetProperty("id").GetString()!;
        await client.PostAsJsonAsync("/v1/customers", new { name = "Gives up" });

        var failed = await WaitForDeliveryAsync(client, endpointId, "failed");
        Assert.Equal(5, failed.GetProperty("attempt_count").GetInt32());
        Assert.Equal(5, Receiver.Received(path).Count);
        var listedFailed = await ClusterFixture.Json(await client.GetAsync($"/v1/webhook_endpoints/{endpointId}/deliveries?status=failed"));
        Assert.Single(listedFailed.GetProperty("data").EnumerateArray());
        Assert.Empty((await ClusterFixture.Json(await client.GetAsync($"/v1/webhook_endpoints/{endpointId}/deliveries?status=pending"))).GetProperty("data").EnumerateArray());

        answer = 200;
        var deliveryId = failed.GetProperty("id").GetString()!;
        var retried = await ClusterFixture.Json(await client.PostAsync($"/v1/webhook_deliveries/{deliveryId}/retry", null));
        Assert.Equal("pending", retried.GetProperty("status").GetString());
        var succeeded = await WaitForDeliveryAsync(client, endpointId, "succeeded");
        Assert.Equal(6, succeeded.GetProperty("attempt_count").GetInt32());
        var again = await client.PostAsync($"/v1/webhook_deliveries/{deliveryId}/retry", null);
        Assert.Equal(409, (int)again.StatusCode);
    }

    [Fact]
    public async Task SlowEndpoint_DoesNotDelayAnotherTenantsEndpoint()
    {
        var (_, slowTenant) = await fixture.TenantAsync();
        var (_, fastTenant) = await fixture.TenantAsync();
        // The slow receiver holds each request until the test lets go (at most 20 s), rather than for a
        // fixed time: what is asserted is then independent of how loaded the machine is.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowStarted = 0;
        var slowUrl = Receiver.NewUrl(out var slowPath, async _ =>
        {
            Interlocked.Increment(ref slowStarted);
            await Task.WhenAny(release.Task, Task.Delay(TimeSpan.FromSeconds(20)));
            return 200;
        });
        var fastUrl = Receiver.NewUrl(out var fastPath);
        await CreateEndpointAsync(slowTenant, slowUrl, "*");
        await CreateEndpointAsync(fastTenant, fastUrl, "*");

        for (var i = 0; i < 3; i++)
        {
            await ClusterFixture.Json(await slowTenant.PostAsJsonAsync("/v1/customers", new { name = $"Slow {i}" }));
        }
        // Publishing never waits for a receiver: all three events were queued while the first delivery
        // is still held, and that endpoint sends one at a time, in order.
        Assert.Empty(Receiver.Received(slowPath));
        Assert.True(Volatile.Read(ref slowStarted) <= 1, $"{slowStarted} slow deliveries in flight");

        await ClusterFixture.Json(await fastTenant.PostAsJsonAsync("/v1/customers", new { name = "Fast" }));
        await Receiver.WaitAsync(fastPath, r => r.Count >= 1, Patience);
        Assert.Empty(Receiver.Received(slowPath));

        release.SetResult();
        // On a very loaded machine a held request may have timed out (5 s) and been retried: count events, not requests.
        static string? Name(ReceivedWebhook r) =>
            JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("object").GetProperty("name").GetString();
        var slow = await Receiver.WaitAsync(slowPath, r => r.Select(Name).Distinct().Count() >= 3, Patience);
        Assert.Equal(["Slow 0", "Slow 1", "Slow 2"], slow.Select(Name).Distinct().Order());
    }

    [Fact]
    public async Task RotatedSecret_DuringTheOverlap_BothSecretsSign()
    {
        var (_, client) = await fixture.TenantAsync();
        var url = Receiver.NewUrl(out var path);
        var endpoint = await CreateEndpointAsync(client, url, "customer.created");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        var oldSecret = endpoint.GetProperty("secret").GetString()!;

        var rotated = await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/webhook_endpoints/{endpointId}/rotate_secret", new { overlap_seconds = 3600 }));
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotEqual(JsonValueKind.Null, rotated.GetProperty("previous_secret_expires_at").ValueKind);
        await client.PostAsJsonAsync("/v1/customers", new { name = "Rotation" });

        var delivery = (await Receiver.WaitAsync(path, r => r.Count >= 1, Patience)).Single();
        Assert.Equal(2, delivery.Signature.Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)));
        Stripe.EventUtility.ValidateSignature(delivery.Body, delivery.Signature, oldSecret, 300);
        Stripe.EventUtility.ValidateSignature(delivery.Body, delivery.Signature, newSecret, 300);
        var read = await ClusterFixture.Json(await client.GetAsync($"/v1/webhook_endpoints/{endpointId}"));
        Assert.False(read.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task StoredEndpointState_HoldsTheSecretOnlyEncrypted()
    {
        var (_, client) = await fixture.TenantAsync();
        var endpoint = await CreateEndpointAsync(client, Receiver.NewUrl(out _), "customer.created");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        var secret = endpoint.GetProperty("secret").GetString()!;

        await using var data = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var command = data.CreateCommand("SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE payloadbinary IS NOT NULL");
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }
        var endpointRow = Assert.Single(rows, r => r.Contains(endpointId, StringComparison.Ordinal) && r.Contains("Secrets", StringComparison.Ordinal));
        Assert.Matches("\"k1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+\"", endpointRow);
        Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.Ordinal) || r.Contains(secret["whsec_".Length..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListEvents_FiltersByType_AndPagesNewestFirst()
    {
        var (_, client) = await fixture.TenantAsync();
        var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Events" }));
        var customerId = customer.GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PatchAsJsonAsync($"/v1/customers/{customerId}", new { name = "Events 2" }));

        var all = await ClusterFixture.Json(await client.GetAsync("/v1/events"));
        Assert.Equal(["customer.updated", "customer.created"], all.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var updated = await ClusterFixture.Json(await client.GetAsync("/v1/events?type=customer.updated"));
        var only = Assert.Single(updated.GetProperty("data").EnumerateArray());
        Assert.Equal("Events 2", only.GetProperty("data").GetProperty("object").GetProperty("name").GetString());
        var first = await ClusterFixture.Json(await client.GetAsync("/v1/events?limit=1"));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var cursor = first.GetProperty("data")[0].GetProperty("id").GetString();
        var second = await ClusterFixture.Json(await client.GetAsync($"/v1/events?limit=1&starting_after={cursor}"));
        Assert.Equal("customer.created", second.GetProperty("data")[0].GetProperty("type").GetString());
        Assert.False(second.GetProperty("has_more").GetBoolean());
        Assert.Equal(400, (int)(await client.GetAsync("/v1/events?type=nonsense.happened")).StatusCode);
    }

    public static async Task<JsonElement> CreateEndpointAsync(HttpClient client, string url, params string[] events) =>
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/webhook_endpoints", new { url, enabled_events = events }));

    /// <summary>The endpoint's only delivery, once it reaches <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(HttpClient client, string endpointId, string status)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var list = await ClusterFixture.Json(await client.GetAsync($"/v1/webhook_endpoints/{endpointId}/deliveries"));
            var delivery = list.GetProperty("data").EnumerateArray().SingleOrDefault();
            if (delivery.ValueKind == JsonValueKind.Object && delivery.GetProperty("status").GetString() == status)
            {
                return delivery;
            }
            if (stopwatch.Elapsed > Patience)
            {
                throw new Xunit.Sdk.XunitException($"No {status} delivery in {Patience}: {list}");
            }
            await Task.Delay(100);
        }
    }
}
