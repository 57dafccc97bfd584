using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Api.Subscriptions;

/// <summary>A customer's subscription as mirrored from Stripe's events (tenant credentials, or the customer's own key).</summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/customers/{id}/subscription", GetCustomerSubscription).WithTags("Subscriptions").WithName("GetCustomerSubscription")
            .WithSummary("The customer's subscription as Stripe last reported it").RequireAuthorization(Policies.TenantReadOrCustomer);
        return app;
    }

    public static async Task<Results<Ok<SubscriptionResource>, ProblemHttpResult>> GetCustomerSubscription(
        IGrainFactory grains, HttpContext http, string id)
    {
        var ownCustomerId = http.User.CustomerIdOf();
        if (!PlatformIds.IsCustomerId(id) || (ownCustomerId is not null && ownCustomerId != id))
        {
            return Problems.NotFound("customer");
        }
        var key = PlatformIds.CustomerKey(http.User.RequireTenantId(), id);
        if (await grains.GetGrain<ICustomerGrain>(key).GetAsync() is null)
        {
            return Problems.NotFound("customer");
        }
        return await grains.GetGrain<ISubscriptionGrain>(key).GetAsync() is { } subscription
            ? TypedResults.Ok(SubscriptionResource.From(subscription))
            : Problems.NotFound("subscription");
    }
}
