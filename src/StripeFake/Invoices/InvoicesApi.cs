using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Invoices;

/// <summary><c>/v1/invoices</c>: retrieve, list by customer, subscription and status, pay, void and mark uncollectible.</summary>
internal static class InvoicesApi
{
    public static IEndpointRouteBuilder MapInvoicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/invoices").WithTags("Invoices");
        group.MapGet("/", ListAsync).WithName("ListInvoices");
        group.MapGet("/{id}", GetAsync).WithName("GetInvoice");
        group.MapPost("/{id}/pay", PayAsync).WithName("PayInvoice");
        group.MapPost("/{id}/void", VoidAsync).WithName("VoidInvoice");
        group.MapPost("/{id}/mark_uncollectible", MarkUncollectibleAsync).WithName("MarkInvoiceUncollectible");
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "invoice"), form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var customerId = form.GetString("customer");
        var subscriptionId = form.GetString("subscription");
        var status = form.GetString("status");
        lock (services.State.Sync)
        {
            var items = services.State.ListLive("invoice")
                .Where(i => customerId is null || (string?)i["customer"] == customerId)
                .Where(i => subscriptionId is null || (string?)i["subscription"] == subscriptionId)
                .Where(i => status is null || (string?)i["status"] == status)
                .Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/invoices", items, form));
        }
    }

    private static async Task<IResult> PayAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var invoice = services.State.Require(id, "invoice");
            var paymentMethod = form.GetString("payment_method");
            if (paymentMethod is not null)
            {
                services.State.Require(paymentMethod, "payment_method", "payment_method");
            }

            InvoiceCollection.Pay(services, invoice, paymentMethod, form.GetBool("paid_out_of_band") == true, request);
            return services.Render(invoice, form);
        }
    }

    private static async Task<IResult> VoidAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var invoice = services.State.Require(id, "invoice");
            InvoiceCollection.Void(services, invoice, request);
            return services.Render(invoice, form);
        }
    }

    private static async Task<IResult> MarkUncollectibleAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var invoice = services.State.Require(id, "invoice");
            InvoiceCollection.MarkUncollectible(services, invoice, request);
            return services.Render(invoice, form);
        }
    }
}
