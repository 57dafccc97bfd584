using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>
/// Invoices (docs/INVOICES.md): one per closed period of a subscription managed here, made by the subscription's
/// period roll-over and finalized after the grace period. Reads for any tenant credential and for the customer's
/// own key (its own invoices only); the status moves for finance and admin keys. The invoice grain's key carries
/// the caller's tenant, so another tenant's invoice id names nothing here.
/// </summary>
public static class InvoicesApi
{
    public static IEndpointRouteBuilder MapInvoicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/invoices").WithTags("Invoices");
        group.MapGet("/", ListInvoices).WithName("ListInvoices")
            .WithSummary("List invoices, newest first; filters customer, subscription, status").RequireAuthorization(Policies.TenantReadOrCustomer);
        group.MapGet("/{id}", GetInvoice).WithName("GetInvoice").WithSummary("Retrieve an invoice")
            .RequireAuthorization(Policies.TenantReadOrCustomer);
        group.MapPost("/{id}/finalize", FinalizeInvoice).WithName("FinalizeInvoice")
            .WithSummary("Finalize a draft now (number, frozen lines and totals, status open; $0 is paid at once)")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapPost("/{id}/pay", PayInvoice).WithName("PayInvoice")
            .WithSummary("Pay an open invoice now through its one PaymentIntent (payment_method, else the customer's default); a decline is 402")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapPost("/{id}/void", VoidInvoice).WithName("VoidInvoice")
            .WithSummary("Void an open (or uncollectible) invoice with nothing paid").RequireAuthorization(Policies.TenantWrite);
        group.MapPost("/{id}/mark_uncollectible", MarkInvoiceUncollectible).WithName("MarkInvoiceUncollectible")
            .WithSummary("Mark an open invoice with nothing paid uncollectible").RequireAuthorization(Policies.TenantWrite);
        app.MapGet("/v1/customers/{id}/invoices", ListCustomerInvoices).WithTags("Invoices").WithName("ListCustomerInvoices")
            .WithSummary("A customer's invoices, newest first").RequireAuthorization(Policies.TenantReadOrCustomer);
        var settings = app.MapGroup("/v1/tenants/{id}/invoice_settings").WithTags("Invoices")
            .RequireAuthorization(Policies.PlatformOrTenantAdmin).RequireRateLimit(RateLimitPolicies.Admin);
        settings.MapGet("/", GetInvoiceSettings).WithName("GetTenantInvoiceSettings").WithSummary("A tenant's invoice numbering: prefix and next number");
        settings.MapPost("/", SetInvoiceSettings).WithName("SetTenantInvoiceSettings")
            .WithSummary("Set the invoice number prefix (e.g. ACME: ACME-000042); numbering goes on without a gap");
        return app;
    }

    public static async Task<Results<Ok<ListResource<InvoiceResource>>, ProblemHttpResult>> ListInvoices(
        [AsParameters] InvoiceServices services, [AsParameters] InvoiceListParameters filters, [AsParameters] ListQuery list)
    {
        var own = services.Http.User.CustomerIdOf();
        if (filters.Customer is not null && (!PlatformIds.IsCustomerId(filters.Customer) || (own is not null && own != filters.Customer)))
        {
            return Problems.Invalid("customer", "customer must be the id of one of your customers (cus_…).");
        }
        if (filters.Subscription is not null && PlatformIds.CustomerIdOfSubscription(filters.Subscription) is null)
        {
            return Problems.Invalid("subscription", "subscription must be the id of a subscription managed here (sub_…).");
        }
        return await ListAsync(services, filters with { Customer = filters.Customer ?? own }, list, "/v1/invoices");
    }

    public static async Task<Results<Ok<ListResource<InvoiceResource>>, ProblemHttpResult>> ListCustomerInvoices(
        [AsParameters] InvoiceServices services, string id, [AsParameters] ListQuery list)
    {
        if (!await IsVisibleCustomerAsync(services, id))
        {
            return Problems.NotFound("customer");
        }
        return await ListAsync(services, new InvoiceListParameters(id, null, null), list, $"/v1/customers/{id}/invoices");
    }

    public static async Task<Results<Ok<InvoiceResource>, ProblemHttpResult>> GetInvoice([AsParameters] InvoiceServices services, string id) =>
        await VisibleInvoiceAsync(services, id) is { } invoice ? TypedResults.Ok(InvoiceResource.From(invoice)) : Problems.NotFound("invoice");

    public static Task<Results<Ok<InvoiceResource>, Accepted<InvoiceResource>, ProblemHttpResult>> FinalizeInvoice([AsParameters] InvoiceServices services, string id) =>
        MoveAsync(services, id, grain => grain.FinalizeAsync());

    public static async Task<Results<Ok<InvoiceResource>, Accepted<InvoiceResource>, ProblemHttpResult>> PayInvoice(
        [AsParameters] InvoiceServices services, string id,
        [Microsoft.AspNetCore.Mvc.FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] PayInvoiceRequest? request)
    {
        var paymentMethod = request?.PaymentMethod;
        if (paymentMethod is not null && (!paymentMethod.StartsWith("pm_", StringComparison.Ordinal) || paymentMethod.Length > 255))
        {
            return Problems.Invalid("payment_method", "payment_method must be the id of one of the customer's payment methods (pm_…).");
        }
        if (await VisibleInvoiceAsync(services, id) is not { } before)
        {
            return Problems.NotFound("invoice");
        }
        var paid = await services.Grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(services.Http.User.RequireTenantId(), id)).PayAsync(paymentMethod);
        if (paid.ManagedBy == InvoiceManagers.Stripe)
        {
            // Stripe's invoice: asked of Stripe, the mirror changes when its events come back.
            return TypedResults.Accepted((string?)null, InvoiceResource.From(paid));
        }
        if (paid.Status != InvoiceStatuses.Paid && paid.AttemptCount > before.AttemptCount)
        {
            // As at Stripe: the attempt is recorded on the invoice (attempt_count, invoice.payment_failed), the call fails.
            return Problems.Result(402, ErrorCodes.CardDeclined, "The payment was declined; the invoice stays open. Try another payment method.", "payment_method");
        }
        return TypedResults.Ok(InvoiceResource.From(paid));
    }

    public static Task<Results<Ok<InvoiceResource>, Accepted<InvoiceResource>, ProblemHttpResult>> VoidInvoice([AsParameters] InvoiceServices services, string id) =>
        MoveAsync(services, id, grain => grain.VoidAsync());

    public static Task<Results<Ok<InvoiceResource>, Accepted<InvoiceResource>, ProblemHttpResult>> MarkInvoiceUncollectible([AsParameters] InvoiceServices services, string id) =>
        MoveAsync(services, id, grain => grain.MarkUncollectibleAsync());

    public static async Task<Results<Ok<InvoiceSettingsResource>, ProblemHttpResult>> GetInvoiceSettings([AsParameters] InvoiceServices services, string id)
    {
        if (!await IsOwnOrOperatedTenantAsync(services, id))
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(InvoiceSettingsResource.From(id, await services.Grains.GetGrain<IInvoiceSettingsGrain>(id).GetAsync()));
    }

    public static async Task<Results<Ok<InvoiceSettingsResource>, ProblemHttpResult>> SetInvoiceSettings(
        [AsParameters] InvoiceServices services, string id, SetInvoiceSettingsRequest request)
    {
        if (request.NumberPrefix is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "number_prefix is required.", "number_prefix");
        }
        if (!InvoiceNumbers.IsValidPrefix(request.NumberPrefix))
        {
            return Problems.Invalid("number_prefix", $"number_prefix must be {InvoiceNumbers.PrefixRule}.");
        }
        if (!await IsOwnOrOperatedTenantAsync(services, id))
        {
            return Problems.NotFound("tenant");
        }
        var saved = await services.Grains.GetGrain<IInvoiceSettingsGrain>(id).SetNumberPrefixAsync(request.NumberPrefix);
        return TypedResults.Ok(InvoiceSettingsResource.From(id, saved));
    }

    private static async Task<Results<Ok<ListResource<InvoiceResource>>, ProblemHttpResult>> ListAsync(
        InvoiceServices services, InvoiceListParameters filters, ListQuery list, string url)
    {
        if (filters.Status is not null && !InvoiceStatuses.IsKnown(filters.Status))
        {
            return Problems.Invalid("status", $"status must be one of: {string.Join(", ", InvoiceStatuses.All.Order())}.");
        }
        if (list.Validate(PlatformIds.IsInvoiceId, out var page) is { } invalid)
        {
            return invalid;
        }
        var tenantId = services.Http.User.RequireTenantId();
        var result = await services.Grains.GetGrain<IInvoiceDirectoryGrain>(tenantId)
            .ListAsync(new InvoiceQuery(filters.Customer, filters.Subscription, filters.Status, page));
        return TypedResults.Ok(new ListResource<InvoiceResource>(url, result.HasMore, result.Items.Select(InvoiceResource.From).ToArray()));
    }

    private static async Task<Results<Ok<InvoiceResource>, Accepted<InvoiceResource>, ProblemHttpResult>> MoveAsync(
        InvoiceServices services, string id, Func<IInvoiceGrain, Task<InvoiceSnapshot>> move)
    {
        if (await VisibleInvoiceAsync(services, id) is null)
        {
            return Problems.NotFound("invoice");
        }
        var grain = services.Grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(services.Http.User.RequireTenantId(), id));
        var moved = await move(grain);
        // Stripe's invoice: the move was asked of Stripe (202, like a plan change); the mirror follows its events.
        return moved.ManagedBy == InvoiceManagers.Stripe
            ? TypedResults.Accepted((string?)null, InvoiceResource.From(moved))
            : TypedResults.Ok(InvoiceResource.From(moved));
    }

    /// <summary>The invoice when it is in the caller's tenant and, for a customer key, the customer's own; else null (404, no oracle).</summary>
    private static async Task<InvoiceSnapshot?> VisibleInvoiceAsync(InvoiceServices services, string id)
    {
        if (!PlatformIds.IsInvoiceId(id))
        {
            return null;
        }
        var invoice = await services.Grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(services.Http.User.RequireTenantId(), id)).GetAsync();
        var own = services.Http.User.CustomerIdOf();
        return invoice is not null && (own is null || own == invoice.CustomerId) ? invoice : null;
    }

    private static async Task<bool> IsVisibleCustomerAsync(InvoiceServices services, string customerId)
    {
        var own = services.Http.User.CustomerIdOf();
        if (!PlatformIds.IsCustomerId(customerId) || (own is not null && own != customerId))
        {
            return false;
        }
        var key = PlatformIds.CustomerKey(services.Http.User.RequireTenantId(), customerId);
        return await services.Grains.GetGrain<ICustomerGrain>(key).GetAsync() is not null;
    }

    public static async Task<bool> IsOwnOrOperatedTenantAsync(InvoiceServices services, string id)
    {
        if (!PlatformIds.IsTenantId(id) || (services.Http.User.TenantIdOf() is { } own && own != id))
        {
            return false;
        }
        return await services.Grains.GetGrain<Grains.Interfaces.Tenants.ITenantGrain>(id).GetAsync() is not null;
    }
}
