using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Platform.Grains.Interfaces.Invoices;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Invoices;

/// <summary>Who may read and move invoices, tenant isolation, and that nothing changes a finalized invoice: no route, no SQL.</summary>
[Collection(InvoiceCollection.Name)]
public sealed class InvoiceRoutesTests(InvoiceClusterFixture fixture)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task Routes_MoveStatusesForWritersOnly_AndRefuseWhatTheStatusForbids()
    {
        using var tenant = await fixture.NewTenantAsync();
        var (plan, customer, subscription, start) = await fixture.SubscribedCustomerAsync(tenant);
        var first = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, start, start + Day, CollectionMethods.SendInvoice);
        var second = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, start + Day, start + 2 * Day, CollectionMethods.SendInvoice);

        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Reader.PostAsync($"/v1/invoices/{first.Id}/finalize", null)).StatusCode);
        var voidDraft = await tenant.Client.PostAsync($"/v1/invoices/{first.Id}/void", null);
        Assert.Equal(HttpStatusCode.Conflict, voidDraft.StatusCode);
        Assert.Contains("invoice_not_editable", await voidDraft.Content.ReadAsStringAsync());

        var open = await ClusterFixture.Json(await tenant.Client.PostAsync($"/v1/invoices/{first.Id}/finalize", null));
        Assert.Equal(("open", "INV-000001", 1500L), (open.GetProperty("status").GetString(), open.GetProperty("number").GetString(), open.GetProperty("amount_due").GetInt64()));
        Assert.Equal(open.GetProperty("status_transitions").GetProperty("finalized_at").GetInt64() + 30 * 86400, open.GetProperty("due_date").GetInt64());
        var again = await ClusterFixture.Json(await tenant.Client.PostAsync($"/v1/invoices/{first.Id}/finalize", null));
        Assert.Equal("INV-000001", again.GetProperty("number").GetString());

        var uncollectible = await ClusterFixture.Json(await tenant.Client.PostAsync($"/v1/invoices/{first.Id}/mark_uncollectible", null));
        Assert.Equal("uncollectible", uncollectible.GetProperty("status").GetString());
        var voided = await ClusterFixture.Json(await tenant.Client.PostAsync($"/v1/invoices/{first.Id}/void", null));
        Assert.Equal(("void", 0L), (voided.GetProperty("status").GetString(), voided.GetProperty("amount_remaining").GetInt64()));
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/v1/invoices/{first.Id}/mark_uncollectible", null)).StatusCode);

        var paid = await fixture.Invoice(tenant.Id, second.Id).FinalizeAsync();
        paid = await fixture.Invoice(tenant.Id, second.Id).RecordPaymentAttemptAsync(
            new InvoicePaymentAttempt("pi_test", PaymentAttemptOutcomes.Succeeded, paid.AmountDue, null, null, DateTimeOffset.UtcNow, null));
        Assert.Equal(("INV-000002", InvoiceStatuses.Paid, 0L), (paid.Number, paid.Status, paid.AmountRemaining));
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/v1/invoices/{second.Id}/void", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/v1/invoices/{second.Id}/mark_uncollectible", null)).StatusCode);
        // No route edits an invoice's content.
        Assert.True((await tenant.Client.PostAsJsonAsync($"/v1/invoices/{second.Id}", new { metadata = new { a = "b" } })).StatusCode
            is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
        Assert.True((await tenant.Client.DeleteAsync($"/v1/invoices/{second.Id}")).StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);

        var after = await ClusterFixture.Json(await tenant.Reader.GetAsync($"/v1/invoices/{second.Id}"));
        Assert.Equal(("paid", "INV-000002", 1500L), (after.GetProperty("status").GetString(), after.GetProperty("number").GetString(), after.GetProperty("total").GetInt64()));
        var byStatus = await ClusterFixture.Json(await tenant.Reader.GetAsync("/v1/invoices?status=void"));
        Assert.Equal(first.Id, Assert.Single(byStatus.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        var badStatus = await tenant.Reader.GetAsync("/v1/invoices?status=late");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("\"param\":\"status\"", await badStatus.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FinalizedInvoice_DatabaseRefusesChangesToLinesTotalsAndNumber()
    {
        using var tenant = await fixture.NewTenantAsync();
        var (plan, customer, subscription, start) = await fixture.SubscribedCustomerAsync(tenant);
        var invoice = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, start, start + Day, CollectionMethods.SendInvoice);
        await fixture.Invoice(tenant.Id, invoice.Id).FinalizeAsync();
        string[] refused =
        [
            "UPDATE invoice_lines SET amount = amount + 1 WHERE tenant_id = $1 AND invoice_id = $2",
            "DELETE FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2",
            "INSERT INTO invoice_lines SELECT tenant_id, invoice_id, 99, 'il_extra', type, description, metric, quantity, amount, pricing_model, tiers, period_start, period_end FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2 LIMIT 1",
            "UPDATE invoices SET total = total + 1, subtotal = subtotal + 1, amount_due = amount_due + 1 WHERE tenant_id = $1 AND id = $2",
            "UPDATE invoices SET number = 'INV-999999' WHERE tenant_id = $1 AND id = $2",
            "UPDATE invoices SET status = 'draft', number = NULL WHERE tenant_id = $1 AND id = $2",
            "DELETE FROM invoices WHERE tenant_id = $1 AND id = $2",
        ];
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in refused)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue(tenant.Id);
            command.Parameters.AddWithValue(invoice.Id);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("finalized", error.MessageText);
        }
        var stored = await ClusterFixture.Json(await tenant.Reader.GetAsync($"/v1/invoices/{invoice.Id}"));
        Assert.Equal(("open", "INV-000001", 1500L), (stored.GetProperty("status").GetString(), stored.GetProperty("number").GetString(), stored.GetProperty("total").GetInt64()));
    }

    [Fact]
    public async Task Invoices_AreTenantIsolated_AndACustomerKeyReadsOnlyItsOwn()
    {
        using var tenant = await fixture.NewTenantAsync();
        using var other = await fixture.NewTenantAsync();
        var (plan, customer, subscription, start) = await fixture.SubscribedCustomerAsync(tenant);
        var (otherPlan, neighbour, neighbourSubscription, neighbourStart) = await fixture.SubscribedCustomerAsync(tenant);
        var mine = await fixture.DraftAsync(tenant.Id, customer, subscription, plan, start, start + Day);
        var theirs = await fixture.DraftAsync(tenant.Id, neighbour, neighbourSubscription, otherPlan, neighbourStart, neighbourStart + Day);

        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/invoices/{mine.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync($"/v1/invoices/{mine.Id}/finalize", null)).StatusCode);
        Assert.Equal(0, (await ClusterFixture.Json(await other.Client.GetAsync("/v1/invoices"))).GetProperty("data").GetArrayLength());
        Assert.Equal(0, (await ClusterFixture.Json(await other.Client.GetAsync($"/v1/invoices?customer={customer}"))).GetProperty("data").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/customers/{customer}/invoices")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/tenants/{tenant.Id}/invoice_settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Reader.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/invoice_settings", new { number_prefix = "X" })).StatusCode);
        var badPrefix = await tenant.Client.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/invoice_settings", new { number_prefix = "acme-1" });
        Assert.Equal(HttpStatusCode.BadRequest, badPrefix.StatusCode);
        Assert.Contains("number_prefix", await badPrefix.Content.ReadAsStringAsync());

        var key = await ClusterFixture.Json(await tenant.Client.PostAsync($"/v1/customers/{customer}/api_keys", null));
        using var self = fixture.Cluster.Client();
        self.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());
        Assert.Equal(mine.Id, (await ClusterFixture.Json(await self.GetAsync($"/v1/invoices/{mine.Id}"))).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await self.GetAsync($"/v1/invoices/{theirs.Id}")).StatusCode);
        var own = await ClusterFixture.Json(await self.GetAsync("/v1/invoices"));
        Assert.Equal(mine.Id, Assert.Single(own.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await self.GetAsync($"/v1/invoices?customer={neighbour}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await self.GetAsync($"/v1/customers/{neighbour}/invoices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await self.PostAsync($"/v1/invoices/{mine.Id}/finalize", null)).StatusCode);
        Assert.Equal(2, (await ClusterFixture.Json(await tenant.Reader.GetAsync("/v1/invoices"))).GetProperty("data").GetArrayLength());
    }
}
