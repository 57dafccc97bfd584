using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Api.Subscriptions;

/// <summary>
/// A customer's subscription: mirrored from Stripe's events, or created here on one of the tenant's plans.
/// A customer holds one subscription, so its id (<c>sub_…</c>) names the customer's grain.
/// </summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/customers/{id}/subscription", GetCustomerSubscription).WithTags("Subscriptions").WithName("GetCustomerSubscription")
            .WithSummary("The customer's subscription").RequireAuthorization(Policies.TenantReadOrCustomer);
        app.MapGet("/v1/customers/{id}/upcoming_invoice", GetUpcomingInvoice).WithTags("Subscriptions").WithName("GetUpcomingInvoice")
            .WithSummary("The current period's invoice so far: flat price and usage charges priced on metered usage")
            .RequireAuthorization(Policies.TenantReadOrCustomer);
        var group = app.MapGroup("/v1/subscriptions").WithTags("Subscriptions");
        group.MapPost("/", CreateSubscription).WithName("CreateSubscription")
            .WithSummary("Subscribe a customer to a plan (trialing when the plan has a trial, else active)").RequireAuthorization(Policies.TenantWrite);
        group.MapGet("/", ListSubscriptions).WithName("ListSubscriptions")
            .WithSummary("List subscriptions, newest first, with Stripe's filters (customer, status, created, cursors)")
            .RequireAuthorization(Policies.TenantRead);
        group.MapGet("/{subscriptionId}", GetSubscription).WithName("GetSubscription").WithSummary("Retrieve a subscription")
            .RequireAuthorization(Policies.TenantRead);
        group.MapPost("/{subscriptionId}", UpdateSubscription).WithName("UpdateSubscription")
            .WithSummary("Change the subscription's plan from now on (at Stripe, with Stripe's proration, when Stripe manages it: 202)")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapPost("/{subscriptionId}/cancel", CancelSubscription).WithName("CancelSubscription")
            .WithSummary("Cancel now, or at the end of the current period (at_period_end); at Stripe when Stripe manages it (202)")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapDelete("/{subscriptionId}", DeleteSubscription).WithName("DeleteSubscription")
            .WithSummary("Cancel the subscription now; at Stripe when Stripe manages it (202)").RequireAuthorization(Policies.TenantWrite);
        return app;
    }

    public static async Task<Results<Ok<SubscriptionResource>, ProblemHttpResult>> GetCustomerSubscription(
        IGrainFactory grains, HttpContext http, string id)
    {
        if (await CustomerKeyAsync(grains, http, id) is not { } key)
        {
            return Problems.NotFound("customer");
        }
        return await grains.GetGrain<ISubscriptionGrain>(key).GetAsync() is { } subscription
            ? TypedResults.Ok(SubscriptionResource.From(subscription))
            : Problems.NotFound("subscription");
    }

    public static async Task<Results<Ok<InvoicePreviewResource>, ProblemHttpResult>> GetUpcomingInvoice(
        IGrainFactory grains, HttpContext http, string id)
    {
        if (await CustomerKeyAsync(grains, http, id) is not { } key)
        {
            return Problems.NotFound("customer");
        }
        return await grains.GetGrain<ISubscriptionGrain>(key).PreviewInvoiceAsync() is { } preview
            ? TypedResults.Ok(InvoicePreviewResource.From(preview))
            : Problems.NotFound("upcoming invoice (no live subscription on a plan)");
    }

    public static async Task<Results<Ok<SubscriptionResource>, ProblemHttpResult>> CreateSubscription(
        IGrainFactory grains, HttpContext http, CreateSubscriptionRequest request)
    {
        if (request.Customer is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "customer is required.", "customer");
        }
        if (request.Plan is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "plan is required.", "plan");
        }
        if (!PlatformIds.IsPlanId(request.Plan))
        {
            return Problems.Invalid("plan", "plan must be the id of one of your plans (plan_…).");
        }
        if (request.CollectionMethod is not null && !Grains.Interfaces.Invoices.CollectionMethods.IsKnown(request.CollectionMethod))
        {
            return Problems.Invalid("collection_method", "collection_method must be charge_automatically or send_invoice.");
        }
        if (request.DaysUntilDue is { } days && (days < 0 || days > 365 || request.CollectionMethod != Grains.Interfaces.Invoices.CollectionMethods.SendInvoice))
        {
            return Problems.Invalid("days_until_due", "days_until_due is 0 to 365, and only with collection_method send_invoice.");
        }
        if (request.Coupon is not null && !PlatformIds.IsCouponId(request.Coupon))
        {
            return Problems.Invalid("coupon", "coupon must be the id of one of your coupons (co_…).");
        }
        if (request.Currency is not null && Validation.Currency("currency", request.Currency) is { } badCurrency)
        {
            return badCurrency;
        }
        if (request.DefaultTaxRates is { } rates && (rates.Count > 5 || rates.Any(r => !PlatformIds.IsTaxRateId(r))))
        {
            return Problems.Invalid("default_tax_rates", "default_tax_rates lists up to 5 tax rate ids (txr_…).");
        }
        if (await CustomerKeyAsync(grains, http, request.Customer) is not { } key)
        {
            return Problems.Invalid("customer", "customer must be the id of one of your customers (cus_…).");
        }
        var subscription = await grains.GetGrain<ISubscriptionGrain>(key)
            .CreateAsync(request.Plan, request.CollectionMethod, request.DaysUntilDue, request.Coupon, request.DefaultTaxRates, Currencies.Normalize(request.Currency));
        return TypedResults.Ok(SubscriptionResource.From(subscription));
    }

    /// <summary>Stripe's subscription statuses, the values of the <c>status</c> filter.</summary>
    internal static readonly string[] Statuses = ["incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"];

    public static async Task<Results<Ok<ListResource<SubscriptionResource>>, ProblemHttpResult>> ListSubscriptions(
        IGrainFactory grains, HttpContext http, [AsParameters] FilteredListQuery query)
    {
        if (query.Validate(Statuses, out var page, out var filter) is { } invalid)
        {
            return invalid;
        }
        // Cursors name subscriptions (ours or Stripe's ids); the tenant's index is by customer.
        if (query.Cursor is (var param, { } cursor))
        {
            if (await SubscriptionAsync(grains, http, cursor) is not { } owner)
            {
                return FilteredListQuery.UnknownCursor(param);
            }
            var customerId = PlatformIds.ParseCustomerKey(owner.GetPrimaryKeyString()).CustomerId;
            page = param == "ending_before" ? page with { EndingBefore = customerId } : page with { StartingAfter = customerId };
        }
        if (query.Customer is { } customer)
        {
            // A customer holds one subscription: the list is it, when it matches (and no cursor passed it).
            if (await CustomerKeyAsync(grains, http, customer) is not { } key)
            {
                return Problems.Result(404, ErrorCodes.ResourceMissing, "No such customer.", "customer");
            }
            var own = query.Cursor.Id is null && await grains.GetGrain<ISubscriptionGrain>(key).GetAsync() is { } mine && filter.Matches(mine.Status, mine.Created)
                ? new[] { SubscriptionResource.From(mine) }
                : [];
            return TypedResults.Ok(new ListResource<SubscriptionResource>("/v1/subscriptions", false, own));
        }
        var result = await grains.GetGrain<ISubscriptionDirectoryGrain>(http.User.RequireTenantId()).ListAsync(page, filter);
        return TypedResults.Ok(new ListResource<SubscriptionResource>("/v1/subscriptions", result.HasMore,
            result.Items.Select(SubscriptionResource.From).ToArray()));
    }

    public static async Task<Results<Ok<SubscriptionResource>, ProblemHttpResult>> GetSubscription(
        IGrainFactory grains, HttpContext http, string subscriptionId)
    {
        var subscription = await SubscriptionAsync(grains, http, subscriptionId) is { } grain ? await grain.GetAsync() : null;
        return subscription is null ? Problems.NotFound("subscription") : TypedResults.Ok(SubscriptionResource.From(subscription));
    }

    public static async Task<Results<Ok<SubscriptionResource>, Accepted<SubscriptionResource>, ProblemHttpResult>> UpdateSubscription(
        IGrainFactory grains, HttpContext http, string subscriptionId, UpdateSubscriptionRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if (await SubscriptionAsync(grains, http, subscriptionId) is not { } grain)
        {
            return Problems.NotFound("subscription");
        }
        if (request.Plan is null && request.Coupon is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "plan (or coupon) is required.", "plan");
        }
        if (request.Plan is not null && !PlatformIds.IsPlanId(request.Plan))
        {
            return Problems.Invalid("plan", "plan must be the id of one of your plans (plan_…).");
        }
        if (request.Coupon is not null && !PlatformIds.IsCouponId(request.Coupon))
        {
            return Problems.Invalid("coupon", "coupon must be the id of one of your coupons (co_…).");
        }
        if (request.ProrationBehavior is not (null or "create_prorations" or "none" or "always_invoice"))
        {
            return Problems.Invalid("proration_behavior", "proration_behavior must be create_prorations, none or always_invoice.");
        }
        if (Validation.IdempotencyKey(idempotencyKey) is { } invalid)
        {
            return invalid;
        }
        var changed = request.Coupon is null ? null : await grain.ApplyCouponAsync(request.Coupon);
        if (request.Plan is not null)
        {
            changed = await grain.ChangePlanAsync(request.Plan, request.ProrationBehavior, RequestKey(http, idempotencyKey));
        }
        return Answer(changed);
    }

    public static async Task<Results<Ok<SubscriptionResource>, Accepted<SubscriptionResource>, ProblemHttpResult>> CancelSubscription(
        IGrainFactory grains, HttpContext http, string subscriptionId, CancelSubscriptionRequest? request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if (Validation.IdempotencyKey(idempotencyKey) is { } invalid)
        {
            return invalid;
        }
        var canceled = await SubscriptionAsync(grains, http, subscriptionId) is { } grain
            ? await grain.CancelAsync(request?.AtPeriodEnd ?? false, RequestKey(http, idempotencyKey))
            : null;
        return Answer(canceled);
    }

    public static async Task<Results<Ok<SubscriptionResource>, Accepted<SubscriptionResource>, ProblemHttpResult>> DeleteSubscription(
        IGrainFactory grains, HttpContext http, string subscriptionId)
    {
        var canceled = await SubscriptionAsync(grains, http, subscriptionId) is { } grain
            ? await grain.CancelAsync(atPeriodEnd: false, RequestKey(http, null))
            : null;
        return Answer(canceled);
    }

    /// <summary>
    /// 200 with the result for a subscription managed here; 202 with the mirror as it stands for one managed
    /// by Stripe, which has taken the change: its events update the mirror (and entitlements) moments later.
    /// </summary>
    private static Results<Ok<SubscriptionResource>, Accepted<SubscriptionResource>, ProblemHttpResult> Answer(SubscriptionSnapshot? subscription) =>
        subscription switch
        {
            null => Problems.NotFound("subscription"),
            { ManagedByStripe: true } => TypedResults.Accepted((string?)null, SubscriptionResource.From(subscription)),
            _ => TypedResults.Ok(SubscriptionResource.From(subscription)),
        };

    /// <summary>The key that makes the Stripe call idempotent: the client's Idempotency-Key, else one of the request's own.</summary>
    private static string RequestKey(HttpContext http, string? idempotencyKey) =>
        idempotencyKey ?? http.TraceIdentifier + "/" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The customer key (<c>ten_…/cus_…</c>) when <paramref name="customerId"/> names a customer of the
    /// caller's tenant that the caller may see (a customer key sees only itself); null otherwise.
    /// </summary>
    public static async Task<string?> CustomerKeyAsync(IGrainFactory grains, HttpContext http, string customerId)
    {
        var ownCustomerId = http.User.CustomerIdOf();
        if (!PlatformIds.IsCustomerId(customerId) || (ownCustomerId is not null && ownCustomerId != customerId))
        {
            return null;
        }
        var key = PlatformIds.CustomerKey(http.User.RequireTenantId(), customerId);
        return await grains.GetGrain<ICustomerGrain>(key).GetAsync() is null ? null : key;
    }

    /// <summary>
    /// The grain of the subscription the id names in the caller's tenant: ours (<c>sub_</c> + the customer's
    /// token) leads to the customer directly; Stripe's is found through the index of mirrored Stripe ids.
    /// </summary>
    private static async Task<ISubscriptionGrain?> SubscriptionAsync(IGrainFactory grains, HttpContext http, string subscriptionId)
    {
        if (PlatformIds.CustomerIdOfSubscription(subscriptionId) is null)
        {
            return null;
        }
        var key = await CustomerKeyAsync(grains, http, PlatformIds.CustomerIdOfSubscription(subscriptionId)!);
        if (key is null && await grains.GetGrain<ISubscriptionLookupGrain>(http.User.RequireTenantId()).FindCustomerAsync(subscriptionId) is { } owner)
        {
            key = await CustomerKeyAsync(grains, http, owner);
        }
        if (key is null)
        {
            return null;
        }
        var grain = grains.GetGrain<ISubscriptionGrain>(key);
        return await grain.GetAsync() is { } s && s.StripeSubscriptionId == subscriptionId ? grain : null;
    }
}
