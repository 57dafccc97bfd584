using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Errors;
using Platform.Api.Subscriptions;
using Platform.Grains.Interfaces.Entitlements;

namespace Platform.Api.Entitlements;

/// <summary>
/// What a customer's plan grants, read from the customer's entitlements grain (memory), and the atomic
/// consumption of numeric limits. The customer's own key may call both for itself.
/// </summary>
public static class EntitlementsApi
{
    public const long MaxQuantity = 1_000_000_000;

    public static IEndpointRouteBuilder MapEntitlementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers/{id}/entitlements").WithTags("Entitlements");
        group.MapGet("/", GetEntitlements).WithName("GetEntitlements").WithSummary("The customer's entitlements and consumption this period")
            .RequireAuthorization(Policies.TenantReadOrCustomer);
        group.MapPost("/{feature}/consume", ConsumeEntitlement).WithName("ConsumeEntitlement")
            .WithSummary("Consume a numeric limit atomically; 409 entitlement_exceeded when it would pass the limit")
            .RequireAuthorization(Policies.TenantWriteOrCustomer);
        return app;
    }

    public static async Task<Results<Ok<EntitlementsResource>, ProblemHttpResult>> GetEntitlements(
        IGrainFactory grains, HttpContext http, string id)
    {
        if (await SubscriptionsApi.CustomerKeyAsync(grains, http, id) is not { } key)
        {
            return Problems.NotFound("customer");
        }
        return TypedResults.Ok(EntitlementsResource.From(id, await grains.GetGrain<IEntitlementsGrain>(key).GetAsync()));
    }

    public static async Task<Results<Ok<EntitlementResource>, ProblemHttpResult>> ConsumeEntitlement(
        IGrainFactory grains, HttpContext http, string id, string feature, ConsumeEntitlementRequest? request)
    {
        if (await SubscriptionsApi.CustomerKeyAsync(grains, http, id) is not { } key)
        {
            return Problems.NotFound("customer");
        }
        if (feature.Length is 0 or > 64)
        {
            return Problems.NotFound("entitlement");
        }
        var quantity = request?.Quantity ?? 1;
        if (quantity is < 1 or > MaxQuantity)
        {
            return Problems.Invalid("quantity", $"quantity must be between 1 and {MaxQuantity}.");
        }
        var consumed = await grains.GetGrain<IEntitlementsGrain>(key).ConsumeAsync(feature, quantity);
        return TypedResults.Ok(EntitlementResource.From(consumed));
    }
}
