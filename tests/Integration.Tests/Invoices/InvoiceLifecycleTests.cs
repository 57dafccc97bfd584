using System.Net.Http.Json;
using Npgsql;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// A subscription's closed periods through draft, grace and finalization over real HTTP on two silos, checked against
/// SQL: the usage log's sum per period priced by the plan's tiers in SQL, lines summing to the subtotal, numbers in
/// order without a gap, one invoice per period whatever replays, and usage refused once its period is finalized.
/// </summary>
[Collection(InvoiceCollection.Name)]
public sealed class InvoiceLifecycleTests(InvoiceClusterFixture fixture)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task ThreePeriods_NumberedInOrder_TotalsEqualTheUsageLogPricedInSql()
    {
        using var tenant = await fixture.NewTenantAsync();
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/invoice_settings", new { number_prefix = "ACME" }));
        var (plan, customer, subscription, start) = await fixture.SubscribedCustomerAsync(tenant);
        decimal[][] usage = [[40, 30.5m], [700, 650, 1.25m], []];
        var numbers = new List<string>();
        for (var period = 0; period < 3; period++)
        {
            var from = start + period * Day;
            var events = usage[period].Select((q, i) => new
            {
                event_id = $"p{period}-{i}", customer, metric = "api_calls", quantity = q, timestamp = (from + TimeSpan.FromMinutes(10 + i)).ToUnixTimeSeconds(),
            }).ToArray();
            if (events.Length > 0)
            {
                Assert.Equal(events.Length, (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/usage_events", new { events }))).GetProperty("accepted").GetInt32());
            }
            fixture.Clock.Advance(Day);
            var draft = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, from, from + Day);
            Assert.Equal((InvoiceStatuses.Draft, (string?)null), (draft.Status, draft.Number));
            // Replayed roll-over: the same invoice, not a second one.
            Assert.Equal(draft.Id, (await fixture.DraftAsync(tenant.Id, customer, subscription, plan, from, from + Day)).Id);

            // A late event inside the period still lands during the grace period.
            var late = new { event_id = $"p{period}-late", customer, metric = "api_calls", quantity = 5, timestamp = (from + Day - TimeSpan.FromSeconds(1)).ToUnixTimeSeconds() };
            await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/usage_events", late));

            fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
            var invoice = await InvoiceClusterFixture.PollInvoiceAsync(tenant.Reader, draft.Id, i => i.GetProperty("status").GetString() != "draft");
            Assert.Equal("open", invoice.GetProperty("status").GetString());
            numbers.Add(invoice.GetProperty("number").GetString()!);

            var expected = await fixture.ScalarAsync<long>(DailyPlanSql.ExpectedTotal, tenant.Id, customer, from.UtcDateTime, (from + Day).UtcDateTime);
            var lines = invoice.GetProperty("lines").GetProperty("data").EnumerateArray().ToArray();
            Assert.Equal(expected, invoice.GetProperty("total").GetInt64());
            Assert.Equal(invoice.GetProperty("subtotal").GetInt64(), lines.Sum(l => l.GetProperty("amount").GetInt64()));
            Assert.Equal(expected, invoice.GetProperty("amount_due").GetInt64());
            Assert.Equal(usage[period].Sum() + 5, lines[1].GetProperty("quantity").GetDecimal());
            Assert.Equal(expected, await fixture.ScalarAsync<long>(
                "SELECT sum(amount)::bigint FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2", tenant.Id, draft.Id));
            Assert.Equal((draft.Created + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)).ToUnixTimeSeconds(),
                invoice.GetProperty("status_transitions").GetProperty("finalized_at").GetInt64());

            // The period is closed now: its usage is refused per event, and a replayed event stays a duplicate.
            var refused = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/usage_events", new
            {
                events = new object[] { late with { event_id = $"p{period}-after" }, late },
            }));
            Assert.Equal("period_closed", refused.GetProperty("data")[0].GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("duplicate", refused.GetProperty("data")[1].GetProperty("status").GetString());
        }
        Assert.Equal(["ACME-000001", "ACME-000002", "ACME-000003"], numbers);
        Assert.Equal(3L, await fixture.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE tenant_id = $1 AND subscription_id = $2", tenant.Id, subscription));

        var listed = await ClusterFixture.Json(await tenant.Reader.GetAsync($"/v1/invoices?subscription={subscription}&limit=2"));
        Assert.True(listed.GetProperty("has_more").GetBoolean());
        Assert.Equal(["ACME-000003", "ACME-000002"], listed.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("number").GetString()!).ToArray());
        var next = await ClusterFixture.Json(await tenant.Reader.GetAsync(
            $"/v1/customers/{customer}/invoices?starting_after={listed.GetProperty("data")[1].GetProperty("id").GetString()}"));
        Assert.Equal("ACME-000001", Assert.Single(next.GetProperty("data").EnumerateArray()).GetProperty("number").GetString());
        var settings = await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/tenants/{tenant.Id}/invoice_settings"));
        Assert.Equal("ACME-000004", settings.GetProperty("next_invoice_number").GetString());

        var types = (await ClusterFixture.Json(await tenant.Client.GetAsync("/v1/events?limit=100"))).GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(3, types.Count(t => t == "invoice.created"));
        Assert.Equal(3, types.Count(t => t == "invoice.finalized"));
        var audit = (await ClusterFixture.Json(await tenant.Client.GetAsync("/v1/audit_events?limit=100"))).GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(3, audit.Count(a => a == "invoice.finalized"));
    }

    [Fact]
    public async Task SecondInvoiceForAPeriod_IsRefusedByTheDatabase()
    {
        using var tenant = await fixture.NewTenantAsync();
        var (plan, customer, subscription, start) = await fixture.SubscribedCustomerAsync(tenant);
        var draft = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, start, start + Day);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var copy = new NpgsqlCommand(
            """
            INSERT INTO invoices (tenant_id, id, customer_id, subscription_id, plan_id, status, currency, period_start, period_end, subtotal, total,
              amount_due, amount_remaining, collection_method, pricing, created)
            SELECT tenant_id, 'in_Copy' || id, customer_id, subscription_id, plan_id, 'draft', currency, period_start, period_end, 0, 0, 0, 0,
              collection_method, pricing, created FROM invoices WHERE tenant_id = $1 AND id = $2
            """, connection);
        copy.Parameters.AddWithValue(tenant.Id);
        copy.Parameters.AddWithValue(draft.Id);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => copy.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Equal(PlatformIds.InvoiceIdFor(tenant.Id, subscription, start), draft.Id);
    }

    [Fact]
    public async Task ZeroInvoice_IsFinalizedAndPaidAtOnce()
    {
        using var tenant = await fixture.NewTenantAsync();
        var (plan, customer, subscription, start) = await fixture.SubscribedCustomerAsync(tenant, flatAmount: 0);
        var draft = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, start, start + Day);
        var finalized = await ClusterFixture.Json(await tenant.Client.PostAsync($"/v1/invoices/{draft.Id}/finalize", null));
        Assert.Equal(("paid", "INV-000001", 0L), (finalized.GetProperty("status").GetString(), finalized.GetProperty("number").GetString(), finalized.GetProperty("total").GetInt64()));
        Assert.Equal(finalized.GetProperty("status_transitions").GetProperty("finalized_at").GetInt64(),
            finalized.GetProperty("status_transitions").GetProperty("paid_at").GetInt64());
        await Eventually(async () =>
        {
            var types = (await ClusterFixture.Json(await tenant.Client.GetAsync("/v1/events?type=invoice.paid"))).GetProperty("data");
            return types.GetArrayLength() == 1;
        });
    }

    [Fact]
    public async Task CustomerUsage_DefaultWindow_IsTheSubscriptionsOwnPeriod()
    {
        using var tenant = await fixture.NewTenantAsync();
        var (_, customer, subscription, _) = await fixture.SubscribedCustomerAsync(tenant);
        var current = await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/subscriptions/{subscription}"));
        var usage = await ClusterFixture.Json(await tenant.Reader.GetAsync($"/v1/customers/{customer}/usage"));
        Assert.Equal(current.GetProperty("current_period_start").GetInt64(), usage.GetProperty("from").GetInt64());
        Assert.Equal(current.GetProperty("current_period_end").GetInt64(), usage.GetProperty("to").GetInt64());
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition never held.");
            await Task.Delay(200);
        }
    }
}
