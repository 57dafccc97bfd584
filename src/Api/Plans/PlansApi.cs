using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Api.Plans;

/// <summary>A tenant's plans: what its customers subscribe to. The tenant comes from the credential.</summary>
public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/plans").WithTags("Plans");
        group.MapPost("/", CreatePlan).WithName("CreatePlan").WithSummary("Create a plan (flat price, usage charges, trial, entitlements)")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapGet("/", ListPlans).WithName("ListPlans").WithSummary("List plans, newest first")
            .RequireAuthorization(Policies.TenantRead);
        group.MapGet("/{planId}", GetPlan).WithName("GetPlan").WithSummary("Retrieve a plan")
            .RequireAuthorization(Policies.TenantRead);
        group.MapPost("/{planId}/archive", ArchivePlan).WithName("ArchivePlan")
            .WithSummary("Archive a plan: no new subscriptions, existing ones continue").RequireAuthorization(Policies.TenantWrite);
        group.MapDelete("/{planId}", DeletePlan).WithName("DeletePlan")
            .WithSummary("Delete a plan no subscription uses (409 plan_in_use otherwise)").RequireAuthorization(Policies.TenantWrite);
        return app;
    }

    public static async Task<Results<Ok<PlanResource>, ProblemHttpResult>> CreatePlan(
        [AsParameters] PlanServices services, CreatePlanRequest request)
    {
        if (PlanValidation.Validate(request, out var draft) is { } invalid)
        {
            return invalid;
        }
        if (draft!.DefaultTaxRates is { } rates)
        {
            // Each must be one of the tenant's active rates (a 400 naming it otherwise).
            await services.Grains.GetGrain<Grains.Interfaces.Adjustments.IBillingAdjustmentsGrain>(Auth.PlatformClaims.RequireTenantId(services.Http.User))
                .ResolveTaxRatesAsync(rates, defaultsWhenEmpty: false);
        }
        var plan = await Catalog(services).CreateAsync(draft);
        return TypedResults.Ok(PlanResource.From(plan));
    }

    public static async Task<Results<Ok<ListResource<PlanResource>>, ProblemHttpResult>> ListPlans(
        [AsParameters] PlanServices services, [AsParameters] ListQuery query)
    {
        if (query.Validate(PlatformIds.IsPlanId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await Catalog(services).ListAsync(page);
        return TypedResults.Ok(new ListResource<PlanResource>("/v1/plans", result.HasMore, result.Items.Select(PlanResource.From).ToArray()));
    }

    public static async Task<Results<Ok<PlanResource>, ProblemHttpResult>> GetPlan([AsParameters] PlanServices services, string planId)
    {
        var plan = PlatformIds.IsPlanId(planId) ? await Catalog(services).GetAsync(planId) : null;
        return plan is null ? Problems.NotFound("plan") : TypedResults.Ok(PlanResource.From(plan));
    }

    public static async Task<Results<Ok<PlanResource>, ProblemHttpResult>> ArchivePlan([AsParameters] PlanServices services, string planId)
    {
        var plan = PlatformIds.IsPlanId(planId) ? await Catalog(services).ArchiveAsync(planId) : null;
        return plan is null ? Problems.NotFound("plan") : TypedResults.Ok(PlanResource.From(plan));
    }

    public static async Task<Results<Ok<DeletedPlanResource>, ProblemHttpResult>> DeletePlan([AsParameters] PlanServices services, string planId)
    {
        var deleted = PlatformIds.IsPlanId(planId) && await Catalog(services).DeleteAsync(planId);
        return deleted ? TypedResults.Ok(new DeletedPlanResource(planId, true)) : Problems.NotFound("plan");
    }

    private static IPlanCatalogGrain Catalog(PlanServices services) =>
        services.Grains.GetGrain<IPlanCatalogGrain>(services.Http.User.RequireTenantId());
}
