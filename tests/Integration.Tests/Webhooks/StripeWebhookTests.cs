using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Pci.Webhooks;
using Platform.Grains.StripeWebhooks;
using Platform.Integration.Tests.Infrastructure;
using Stripe;

namespace Platform.Integration.Tests.Webhooks;

/// <summary>
/// Stripe's inbound webhooks over real HTTP against a core silo, a pci silo (which alone holds the webhook
/// secret), PostgreSQL and the Stripe fake. Bodies are signed exactly as Stripe signs them:
/// <c>t=&lt;unix&gt;,v1=hex(HMAC-SHA256(secret, "t.body"))</c>.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class StripeWebhookTests(PciClusterFixture fixture)
{
    private const string WebhookPath = "/v1/stripe/webhook";

    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Webhook_ValidEvent_IsRecordedAndAppliedOnce()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        var eventId = NewEventId();
        var body = SubscriptionEvent(eventId, "customer.subscription.created", Now(), tenant.Id, customerId, "sub_valid1", "active", quantity: 3);

        var receipt = await ClusterFixture.Json(await PostAsync(body, Sign(body)));

        // Acknowledged once recorded; the owner applies it right after, in the background.
        Assert.Equal(eventId, receipt.GetProperty("id").GetString());
        Assert.False(receipt.GetProperty("duplicate").GetBoolean());
        Assert.Equal("pending", receipt.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("outcome").ValueKind);
        Assert.Equal("applied", (await ProcessedAsync(eventId)).GetProperty("outcome").GetString());
        var subscription = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
        Assert.Equal("sub_valid1", subscription.GetProperty("id").GetString());
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.Equal(3, subscription.GetProperty("items")[0].GetProperty("quantity").GetInt64());
        Assert.Equal("price_basic", subscription.GetProperty("items")[0].GetProperty("price").GetString());
        var recorded = await RecordedAsync(eventId);
        Assert.Equal("processed", recorded.GetProperty("status").GetString());
        Assert.Equal(1, recorded.GetProperty("attempts").GetInt32());
        Assert.Equal(customerId, recorded.GetProperty("data").GetProperty("object").GetProperty("metadata").GetProperty("customer_id").GetString());
    }

    [Fact]
    public async Task Webhook_SameDeliveryFiveTimes_HasOneEffect()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        var eventId = NewEventId();
        var body = SubscriptionEvent(eventId, "customer.subscription.created", Now(), tenant.Id, customerId, "sub_five", "trialing");
        var signature = Sign(body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(body, signature)));
        var receipts = await Task.WhenAll(responses.Select(ClusterFixture.Json));

        Assert.Single(receipts, r => !r.GetProperty("duplicate").GetBoolean());
        Assert.Equal(4, receipts.Count(r => r.GetProperty("duplicate").GetBoolean()));
        var recorded = await ProcessedAsync(eventId);
        Assert.Equal("applied", recorded.GetProperty("outcome").GetString());
        Assert.Equal(1, recorded.GetProperty("attempts").GetInt32());
        var first = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
        // A sixth delivery, re-signed later as Stripe's retries are: still no second effect.
        var again = await ClusterFixture.Json(await PostAsync(body, Sign(body, timestamp: Now() + 5)));
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, (await RecordedAsync(eventId)).GetProperty("attempts").GetInt32());
        var after = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
        Assert.Equal(first.GetProperty("updated").GetInt64(), after.GetProperty("updated").GetInt64());
        Assert.Equal("trialing", after.GetProperty("status").GetString());
    }

    /// <summary>
    /// Ten customers per tenant, 77 events each (subscription lifecycle, invoices, and for half of them a
    /// final cancel). Tenant A gets the events once, in order; tenant B the same events plus 230 repeats,
    /// 1,000 deliveries shuffled and sent eight at a time. Both end in the same state.
    /// </summary>
    [Fact]
    public async Task Webhook_ThousandEventsShuffledWithDuplicates_EndAsTheOrderedUniqueStream()
    {
        const int customers = 10;
        var (a, aClient) = await TenantAsync();
        var (b, bClient) = await TenantAsync();
        var aCustomers = new List<string>();
        var bCustomers = new List<string>();
        for (var i = 0; i < customers; i++)
        {
            aCustomers.Add(await CustomerAsync(aClient));
            bCustomers.Add(await CustomerAsync(bClient));
        }
        var run = PlatformIds.RandomToken(8);
        var start = Now() - 10_000;
        var ordered = new List<string>();
        var unique = new List<string>();
        for (var i = 0; i < customers; i++)
        {
            ordered.AddRange(Lifecycle(run, i, start, a.Id, aCustomers[i]));
            unique.AddRange(Lifecycle(run, i, start, b.Id, bCustomers[i]));
        }
        Assert.Equal(770, unique.Count);
        var random = new Random(5);
        var deliveries = unique.Concat(Enumerable.Range(0, 230).Select(_ => unique[random.Next(unique.Count)])).ToArray();
        random.Shuffle(deliveries);
        Assert.Equal(1000, deliveries.Length);

        foreach (var body in ordered)
        {
            var response = await PostAsync(body, Sign(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var duplicates = 0;
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, _) =>
        {
            var receipt = await ClusterFixture.Json(await PostAsync(body, Sign(body)));
            if (receipt.GetProperty("duplicate").GetBoolean())
            {
                Interlocked.Increment(ref duplicates);
            }
        });

        Assert.Equal(230, duplicates);
        // Applied in the background after each 200: compare once every event of both tenants is processed.
        await AllProcessedAsync(ordered.Concat(unique).Select(EventIdOf).ToList());
        for (var i = 0; i < customers; i++)
        {
            var expected = Comparable(await ClusterFixture.Json(await aClient.GetAsync($"/v1/customers/{aCustomers[i]}/subscription")));
            var actual = Comparable(await ClusterFixture.Json(await bClient.GetAsync($"/v1/customers/{bCustomers[i]}/subscription")));
            Assert.Equal(expected, actual);
            // The late update after the cancel (customers with an even index) never revived it.
            Assert.Contains(i % 2 == 0 ? "\"status\":\"canceled\"" : "\"status\":\"past_due\"", actual);
            Assert.Contains(i % 2 == 0 ? "\"quantity\":60" : "\"quantity\":62", actual);
            Assert.Contains("\"latest_invoice_status\":\"paid\"", actual);
        }
    }

    [Fact]
    public async Task Webhook_TamperedWrongSecretStaleOrMissingSignature_IsRefusedAndNothingRecorded()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        using var admin = Cluster.AdminClient();
        var auditBefore = await RefusalAuditCountAsync(admin);

        var tampered = SubscriptionEvent(NewEventId(), "customer.subscription.created", Now(), tenant.Id, customerId, "sub_bad", "active", quantity: 1);
        var wrongSecret = SubscriptionEvent(NewEventId(), "customer.subscription.created", Now(), tenant.Id, customerId, "sub_bad", "active");
        var stale = SubscriptionEvent(NewEventId(), "customer.subscription.created", Now(), tenant.Id, customerId, "sub_bad", "active");
        var unsigned = SubscriptionEvent(NewEventId(), "customer.subscription.created", Now(), tenant.Id, customerId, "sub_bad", "active");
        var cases = new (string Body, string? Signature, string Code)[]
        {
            (tampered.Replace("\"quantity\":1", "\"quantity\":9", StringComparison.Ordinal), Sign(tampered), "signature_invalid"),
            (wrongSecret, Sign(wrongSecret, secret: "whsec_not_the_endpoints"), "signature_invalid"),
            (stale, Sign(stale, timestamp: Now() - 301), "timestamp_out_of_tolerance"),
            (unsigned, null, "signature_missing"),
            (unsigned, "t=" + Now(), "signature_missing"),
        };
        Assert.NotEqual(tampered, cases[0].Body);

        foreach (var (body, signature, code) in cases)
        {
            var response = await PostAsync(body, signature);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(code, (await ProblemAsync(response)).GetProperty("code").GetString());
        }

        foreach (var body in new[] { tampered, wrongSecret, stale, unsigned })
        {
            var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/webhook_events/{id}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/customers/{customerId}/subscription")).StatusCode);
        // Refusals are audited once per address and window (StripeWebhookFloodTests), not once each.
        Assert.InRange(await RefusalAuditCountAsync(admin), auditBefore, auditBefore + 1);
    }

    [Fact]
    public async Task Webhook_SignedWithThePreviousSecretOrAmongSeveralSignatures_IsAccepted()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        var rotated = SubscriptionEvent(NewEventId(), "customer.subscription.created", Now() - 20, tenant.Id, customerId, "sub_rot", "trialing");
        var both = SubscriptionEvent(NewEventId(), "customer.subscription.updated", Now() - 10, tenant.Id, customerId, "sub_rot", "active");
        var t = Now();
        // While a rolled secret expires Stripe sends one v1 per secret; here the first is not ours at all.
        var several = $"t={t},v1={Hmac("whsec_someone_elses", t, both)},v1={Hmac(PciClusterFixture.WebhookSecret, t, both)}";

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(rotated, Sign(rotated, secret: PciClusterFixture.PreviousWebhookSecret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(both, several)).StatusCode);

        await AllProcessedAsync([EventIdOf(rotated), EventIdOf(both)]);
        var subscription = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
        Assert.Equal("active", subscription.GetProperty("status").GetString());
    }

    /// <summary>
    /// The event names a customer the platform does not know yet (its id is derived from an Idempotency-Key
    /// not yet used): the SubscriptionGrain refuses, the event stays pending, each sweep retries it, and once
    /// the customer exists the next sweep applies it. No test hook, no sleep.
    /// </summary>
    [Fact]
    public async Task Webhook_EventWhoseTargetFails_IsRetriedBySweeperUntilApplied()
    {
        var (tenant, client) = await TenantAsync();
        var idempotencyKey = "later-" + Guid.NewGuid().ToString("N");
        var customerId = PlatformIds.CustomerIdFor(tenant.Id, idempotencyKey);
        var eventId = NewEventId();
        var body = SubscriptionEvent(eventId, "customer.subscription.created", Now(), tenant.Id, customerId, "sub_later", "active");
        var sweeper = Cluster.ClusterClient.GetGrain<IWebhookSweeperGrain>(0);

        var receipt = await ClusterFixture.Json(await PostAsync(body, Sign(body)));
        Assert.Equal("pending", receipt.GetProperty("status").GetString());
        // The background apply fails (no such customer) and leaves it pending with the reason.
        var pending = await RecordedWhenAsync(eventId, e => e.GetProperty("attempts").GetInt32() >= 1);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Contains("customer_missing", pending.GetProperty("last_error").GetString());

        await sweeper.SweepAsync();
        var stillPending = await RecordedAsync(eventId);
        Assert.Equal("pending", stillPending.GetProperty("status").GetString());
        Assert.True(stillPending.GetProperty("attempts").GetInt32() >= 2);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/customers") { Content = JsonContent.Create(new { name = "Late" }) };
        create.Headers.Add("Idempotency-Key", idempotencyKey);
        Assert.Equal(customerId, (await ClusterFixture.Json(await client.SendAsync(create))).GetProperty("id").GetString());
        await sweeper.SweepAsync();

        var processed = await RecordedAsync(eventId);
        Assert.Equal("processed", processed.GetProperty("status").GetString());
        Assert.Equal("applied", processed.GetProperty("outcome").GetString());
        var subscription = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
        Assert.Equal("sub_later", subscription.GetProperty("id").GetString());
    }

    /// <summary>
    /// A pci silo that dies right after acknowledging a delivery leaves exactly what the receive path
    /// committed before the 200: the row, pending, its first retry due, and no apply. That state is written
    /// here with the same store and reader the silo uses; the sweeper alone must apply it, once.
    /// </summary>
    [Fact]
    public async Task Webhook_AcknowledgedButNeverApplied_IsAppliedBySweeper()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        var eventId = NewEventId();
        var body = SubscriptionEvent(eventId, "customer.subscription.created", Now(), tenant.Id, customerId, "sub_orphan", "active", quantity: 4);
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var inserted = await new StripeEventStore(dataSource).InsertManyAsync([new NewStripeEvent(StripeEventReader.Read(body), now, now)]);
        Assert.Contains(eventId, inserted);
        // A redelivery from Stripe is a duplicate: only the sweeper can apply it now.
        Assert.True((await ClusterFixture.Json(await PostAsync(body, Sign(body)))).GetProperty("duplicate").GetBoolean());
        Assert.Equal("pending", (await RecordedAsync(eventId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/customers/{customerId}/subscription")).StatusCode);

        await Cluster.ClusterClient.GetGrain<IWebhookSweeperGrain>(0).SweepAsync();

        var processed = await RecordedAsync(eventId);
        Assert.Equal("processed", processed.GetProperty("status").GetString());
        Assert.Equal("applied", processed.GetProperty("outcome").GetString());
        Assert.Equal(1, processed.GetProperty("attempts").GetInt32());
        var subscription = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}/subscription"));
        Assert.Equal("sub_orphan", subscription.GetProperty("id").GetString());
        Assert.Equal(4, subscription.GetProperty("items")[0].GetProperty("quantity").GetInt64());
    }

    [Fact]
    public async Task WebhookEvents_ListReplayAndUnknownTypes_WorkForTheOperatorOnly()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        var applied = NewEventId();
        var body = SubscriptionEvent(applied, "customer.subscription.created", Now(), tenant.Id, customerId, "sub_replay", "active");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body, Sign(body))).StatusCode);
        Assert.Equal("applied", (await ProcessedAsync(applied)).GetProperty("outcome").GetString());
        var unknown = NewEventId();
        var radar = StripeEvent("radar.early_fraud_warning.created", Now(),
            new JsonObject { ["id"] = "issfr_1", ["object"] = "radar.early_fraud_warning" }, unknown);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(radar, Sign(radar))).StatusCode);
        Assert.Equal("ignored", (await ProcessedAsync(unknown)).GetProperty("outcome").GetString());

        using var admin = Cluster.AdminClient();
        var replayed = await ClusterFixture.Json(await admin.PostAsync($"/v1/webhook_events/{applied}/replay", null));
        Assert.Equal("processed", replayed.GetProperty("status").GetString());
        Assert.Equal("stale", replayed.GetProperty("outcome").GetString());
        Assert.Equal(2, replayed.GetProperty("attempts").GetInt32());
        var list = await ClusterFixture.Json(await admin.GetAsync("/v1/webhook_events?status=processed&limit=100"));
        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Contains(unknown, ids);
        Assert.Contains(applied, ids);
        Assert.True(ids.IndexOf(unknown) < ids.IndexOf(applied), "newest first");
        var page = await ClusterFixture.Json(await admin.GetAsync($"/v1/webhook_events?limit=1&starting_after={unknown}"));
        Assert.NotEqual(unknown, page.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal("parameter_invalid", (await ProblemAsync(await admin.GetAsync("/v1/webhook_events?status=done"))).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/v1/webhook_events/evt_0000000000missing/replay", null)).StatusCode);

        foreach (var (method, path) in new[] { ("GET", "/v1/webhook_events"), ("GET", $"/v1/webhook_events/{applied}"), ("POST", $"/v1/webhook_events/{applied}/replay") })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Webhook_LateCanceledOrOldEvents_NeverUndoASucceededPayment_ButARefundApplies()
    {
        var (tenant, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        var method = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId }));
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents")
        {
            Content = JsonContent.Create(new { customer = customerId, amount = 2500, currency = "usd", payment_method = method.GetProperty("id").GetString(), confirm = true }),
        };
        // Letters only: a GUID's hex can hold 13+ digits in a row that pass Luhn, which the API refuses as card data (a flake seen once).
        create.Headers.Add("Idempotency-Key", "late-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + (c - '0')) : c)));
        var payment = await ClusterFixture.Json(await client.SendAsync(create));
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        var paymentId = payment.GetProperty("id").GetString()!;
        var stripeId = payment.GetProperty("stripe_id").GetString()!;
        var metadata = new JsonObject { ["tenant_id"] = tenant.Id, ["customer_id"] = customerId, ["payment_id"] = paymentId };

        var canceled = PaymentIntentEvent("payment_intent.canceled", Now() + 60, stripeId, "canceled", metadata);
        var requiresAction = PaymentIntentEvent("payment_intent.requires_action", Now() - 60, stripeId, "requires_action", metadata);
        foreach (var body in new[] { canceled, requiresAction })
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(body, Sign(body))).StatusCode);
            Assert.Equal("stale", (await ProcessedAsync(EventIdOf(body))).GetProperty("outcome").GetString());
        }
        Assert.Equal("succeeded", (await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents/{paymentId}"))).GetProperty("status").GetString());

        // A refund made elsewhere (Stripe's dashboard): charge.refunded finds the payment without our
        // payment_id, through the Stripe-id index the payment grain keeps.
        var refunded = StripeEvent("charge.refunded", Now(), new JsonObject
        {
            ["id"] = "ch_" + PlatformIds.RandomToken(14),
            ["object"] = "charge",
            ["amount"] = 2500,
            ["amount_refunded"] = 2500,
            ["currency"] = "usd",
            ["payment_intent"] = stripeId,
            ["refunded"] = true,
            ["status"] = "succeeded",
            ["metadata"] = new JsonObject(),
        });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(refunded, Sign(refunded))).StatusCode);
        Assert.Equal("applied", (await ProcessedAsync(EventIdOf(refunded))).GetProperty("outcome").GetString());
        var after = await ClusterFixture.Json(await client.GetAsync($"/v1/payment_intents/{paymentId}"));
        Assert.Equal("refunded", after.GetProperty("status").GetString());
        Assert.Equal(2500, after.GetProperty("amount_refunded").GetInt64());
    }

    /// <summary>
    /// The Stripe fake sends its own signed events to the platform: a subscription created at "Stripe" for
    /// the customer's Stripe customer (no metadata on the subscription: routed through the Stripe-id index)
    /// shows up on the customer, and later status changes follow.
    /// </summary>
    [Fact]
    public async Task FakeOriginatedEvents_AreVerifiedRecordedAndAppliedEndToEnd()
    {
        var (_, client) = await TenantAsync();
        var customerId = await CustomerAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/setup_intents", new { customer = customerId })).StatusCode);
        var stripeCustomer = fixture.Stripe.State.List("customer")
            .Single(c => (string?)c["metadata"]?["customer_id"] == customerId)["id"]!.GetValue<string>();
        fixture.Stripe.Webhooks.Url = Cluster.ApiUrls[0] + WebhookPath.TrimStart('/');
        try
        {
            var stripe = new StripeClient(new StripeClientOptions { ApiKey = PciClusterFixture.StripeSecretKey, ApiBase = fixture.Stripe.BaseUrl });
            var created = await stripe.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
            {
                Customer = stripeCustomer,
                Items = [new SubscriptionItemOptions { Price = "price_pro", Quantity = 2 }],
                TrialPeriodDays = 14,
            });

            var trialing = await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "trialing");
            Assert.Equal(created.Id, trialing.GetProperty("id").GetString());
            Assert.Equal("price_pro", trialing.GetProperty("items")[0].GetProperty("price").GetString());
            Assert.True(trialing.GetProperty("trial_end").GetInt64() > Now());

            fixture.Stripe.SetSubscriptionStatus(created.Id, "canceled");
            await SubscriptionWhenAsync(client, customerId, s => s.GetProperty("status").GetString() == "canceled");
            using var admin = Cluster.AdminClient();
            var sent = fixture.Stripe.Webhooks.Events.Where(e => (string?)e["data"]?["object"]?["id"] == created.Id).ToList();
            Assert.NotEmpty(sent);
            foreach (var evt in sent)
            {
                await ProcessedAsync(evt["id"]!.GetValue<string>());
            }
        }
        finally
        {
            fixture.Stripe.Webhooks.Url = null;
        }
    }

    private static async Task<JsonElement> SubscriptionWhenAsync(HttpClient client, string customerId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await client.GetAsync($"/v1/customers/{customerId}/subscription");
            if (response.StatusCode == HttpStatusCode.OK && done(await ClusterFixture.Json(response)))
            {
                return await ClusterFixture.Json(response);
            }
            Assert.True(DateTime.UtcNow < deadline, $"the subscription did not reach the expected state: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// One customer's 77 events: created, 59 updates, five invoices of three events each, and an ending.
    /// Even customers end canceled, followed by an "active" update stamped later still (a lagging copy):
    /// an ended subscription stays ended. Odd customers end past_due.
    /// </summary>
    private static IEnumerable<string> Lifecycle(string run, int customer, long start, string tenantId, string customerId)
    {
        var subscriptionId = $"sub_{run}{customer}";
        var created = start + customer;
        yield return SubscriptionEvent(NewEventId(), "customer.subscription.created", created, tenantId, customerId, subscriptionId, "incomplete",
            subscriptionCreated: created);
        for (var k = 1; k <= 59; k++)
        {
            yield return SubscriptionEvent(NewEventId(), "customer.subscription.updated", created + k * 10, tenantId, customerId, subscriptionId,
                k % 5 == 4 ? "past_due" : "active", quantity: k, cancelAtPeriodEnd: k % 7 == 0, subscriptionCreated: created,
                periodStart: created + k * 100, price: k % 2 == 0 ? "price_basic" : "price_pro");
        }
        for (var m = 0; m < 5; m++)
        {
            var invoiceId = $"in_{run}{customer}x{m}";
            var invoiceCreated = created + 700 + m * 30;
            yield return InvoiceEvent("invoice.finalized", invoiceCreated, invoiceId, invoiceCreated, subscriptionId, "open", tenantId, customerId);
            yield return InvoiceEvent("invoice.payment_failed", invoiceCreated + 1, invoiceId, invoiceCreated, subscriptionId, "open", tenantId, customerId);
            yield return InvoiceEvent("invoice.paid", invoiceCreated + 2, invoiceId, invoiceCreated, subscriptionId, "paid", tenantId, customerId);
        }
        if (customer % 2 == 0)
        {
            yield return SubscriptionEvent(NewEventId(), "customer.subscription.deleted", created + 900, tenantId, customerId, subscriptionId, "canceled",
                subscriptionCreated: created, canceledAt: created + 900, quantity: 60, price: "price_basic");
            yield return SubscriptionEvent(NewEventId(), "customer.subscription.updated", created + 950, tenantId, customerId, subscriptionId, "active",
                subscriptionCreated: created, quantity: 70, price: "price_pro");
        }
        else
        {
            yield return SubscriptionEvent(NewEventId(), "customer.subscription.updated", created + 900, tenantId, customerId, subscriptionId, "past_due",
                subscriptionCreated: created, quantity: 61, price: "price_pro");
            yield return SubscriptionEvent(NewEventId(), "customer.subscription.updated", created + 950, tenantId, customerId, subscriptionId, "past_due",
                subscriptionCreated: created, quantity: 62, price: "price_pro", cancelAtPeriodEnd: true);
        }
    }

    private static string SubscriptionEvent(string eventId, string type, long created, string tenantId, string customerId, string subscriptionId,
        string status, long quantity = 1, bool cancelAtPeriodEnd = false, long? subscriptionCreated = null, long? periodStart = null,
        string price = "price_basic", long? canceledAt = null)
    {
        var start = periodStart ?? subscriptionCreated ?? created;
        return StripeEvent(type, created, new JsonObject
        {
            ["id"] = subscriptionId,
            ["object"] = "subscription",
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["canceled_at"] = canceledAt,
            ["created"] = subscriptionCreated ?? created,
            ["customer"] = "cus_stripe" + customerId[4..12],
            ["ended_at"] = canceledAt,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "si_item1",
                    ["object"] = "subscription_item",
                    ["current_period_start"] = start,
                    ["current_period_end"] = start + 2_592_000,
                    ["price"] = new JsonObject { ["id"] = price, ["object"] = "price", ["unit_amount"] = 1000, ["currency"] = "usd" },
                    ["quantity"] = quantity,
                }),
                ["has_more"] = false,
            },
            ["metadata"] = new JsonObject { ["tenant_id"] = tenantId, ["customer_id"] = customerId },
            ["status"] = status,
            ["trial_end"] = status == "trialing" ? created + 1_209_600 : null,
        }, eventId);
    }

    private static string InvoiceEvent(string type, long created, string invoiceId, long invoiceCreated, string subscriptionId, string status,
        string tenantId, string customerId) => StripeEvent(type, created, new JsonObject
        {
            ["id"] = invoiceId,
            ["object"] = "invoice",
            ["amount_due"] = 1000,
            ["created"] = invoiceCreated,
            ["currency"] = "usd",
            ["customer"] = "cus_stripe" + customerId[4..12],
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["tenant_id"] = tenantId, ["customer_id"] = customerId },
                    ["subscription"] = subscriptionId,
                },
            },
            ["status"] = status,
        });

    private static string PaymentIntentEvent(string type, long created, string stripeId, string status, JsonObject metadata) => StripeEvent(type, created, new JsonObject
    {
        ["id"] = stripeId,
        ["object"] = "payment_intent",
        ["amount"] = 2500,
        ["currency"] = "usd",
        ["metadata"] = metadata.DeepClone(),
        ["status"] = status,
    });

    /// <summary>A Stripe event around <paramref name="dataObject"/>, shaped as Stripe sends it.</summary>
    private static string StripeEvent(string type, long created, JsonObject dataObject, string? id = null) => new JsonObject
    {
        ["id"] = id ?? NewEventId(),
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = created,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = dataObject },
    }.ToJsonString();

    /// <summary>The subscription as JSON without what differs between tenants by design (our customer id, our clock).</summary>
    private static string Comparable(JsonElement subscription)
    {
        var node = JsonNode.Parse(subscription.GetRawText())!.AsObject();
        node.Remove("customer");
        node.Remove("updated");
        return node.ToJsonString();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.False(response.IsSuccessStatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(TestTenant Tenant, HttpClient Client)> TenantAsync()
    {
        var tenant = await fixture.CreateTenantAsync();
        return (tenant, Cluster.Client(tenant.Secret));
    }

    private static async Task<string> CustomerAsync(HttpClient client) =>
        (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Subscriber" }))).GetProperty("id").GetString()!;

    private async Task<JsonElement> RecordedAsync(string eventId)
    {
        using var admin = Cluster.AdminClient();
        return await ClusterFixture.Json(await admin.GetAsync($"/v1/webhook_events/{eventId}"));
    }

    /// <summary>The recorded event once its background apply is done (polled, generous deadline).</summary>
    private Task<JsonElement> ProcessedAsync(string eventId) =>
        RecordedWhenAsync(eventId, e => e.GetProperty("status").GetString() == "processed");

    private async Task<JsonElement> RecordedWhenAsync(string eventId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var recorded = await RecordedAsync(eventId);
            if (done(recorded))
            {
                return recorded;
            }
            Assert.True(DateTime.UtcNow < deadline, $"event {eventId} did not reach the expected state: {recorded.GetRawText()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until every one of the events is processed, reading the event table itself (one query per poll).</summary>
    private async Task AllProcessedAsync(IReadOnlyCollection<string> eventIds)
    {
        var ids = eventIds.Distinct().ToArray();
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM platform_webhook_events WHERE id = ANY($1) AND status = 2");
            command.Parameters.AddWithValue(ids);
            var processed = (long)(await command.ExecuteScalarAsync())!;
            if (processed == ids.Length)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{ids.Length - processed} of {ids.Length} events were not processed in time");
            await Task.Delay(100);
        }
    }

    private static string EventIdOf(string body) => JsonNode.Parse(body)!["id"]!.GetValue<string>();

    private static async Task<int> RefusalAuditCountAsync(HttpClient admin)
    {
        var count = 0;
        string? after = null;
        while (true)
        {
            var page = await ClusterFixture.Json(await admin.GetAsync("/v1/audit_events?tenant=platform&limit=100" + (after is null ? "" : "&starting_after=" + after)));
            var data = page.GetProperty("data").EnumerateArray().ToList();
            count += data.Count(e => e.GetProperty("action").GetString() == AuditActionRefused);
            if (!page.GetProperty("has_more").GetBoolean() || data.Count == 0)
            {
                return count;
            }
            after = data[^1].GetProperty("id").GetString();
        }
    }

    private const string AuditActionRefused = "stripe_webhook.refused";

    private async Task<HttpResponseMessage> PostAsync(string body, string? signature)
    {
        using var client = Cluster.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string Sign(string body, string secret = PciClusterFixture.WebhookSecret, long? timestamp = null)
    {
        var t = timestamp ?? Now();
        return $"t={t},v1={Hmac(secret, t, body)}";
    }

    private static string Hmac(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string NewEventId() => "evt_" + PlatformIds.RandomToken(24);
}
