using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>A tenant's dunning policy (docs/INVOICES.md, dunning): the operator or the tenant's admin key; changes audited.</summary>
public static class DunningApi
{
    public static IEndpointRouteBuilder MapDunningApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{id}/dunning").WithTags("Invoices")
            .RequireAuthorization(Policies.PlatformOrTenantAdmin).RequireRateLimit(RateLimitPolicies.Admin);
        group.MapGet("/", GetDunningPolicy).WithName("GetTenantDunningPolicy").WithSummary("The tenant's dunning policy (Stripe's defaults until set)");
        group.MapPost("/", SetDunningPolicy).WithName("SetTenantDunningPolicy")
            .WithSummary("Set the retry schedule (days after each failure) and the final action: cancel, unpaid or past_due");
        return app;
    }

    public static async Task<Results<Ok<DunningPolicyResource>, ProblemHttpResult>> GetDunningPolicy([AsParameters] InvoiceServices services, string id)
    {
        if (!await InvoicesApi.IsOwnOrOperatedTenantAsync(services, id))
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(DunningPolicyResource.From(id, await services.Grains.GetGrain<IDunningPolicyGrain>(id).GetAsync()));
    }

    public static async Task<Results<Ok<DunningPolicyResource>, ProblemHttpResult>> SetDunningPolicy(
        [AsParameters] InvoiceServices services, string id, SetDunningPolicyRequest request)
    {
        if (!await InvoicesApi.IsOwnOrOperatedTenantAsync(services, id))
        {
            return Problems.NotFound("tenant");
        }
        var grain = services.Grains.GetGrain<IDunningPolicyGrain>(id);
        var current = await grain.GetAsync();
        var policy = new DunningPolicy(request.RetryDays ?? current.RetryDays, request.FinalAction ?? current.FinalAction);
        if (DunningPolicyRules.Problem(policy) is { } problem)
        {
            return Problems.Invalid(problem.Param, problem.Message);
        }
        return TypedResults.Ok(DunningPolicyResource.From(id, await grain.SetAsync(policy)));
    }
}
