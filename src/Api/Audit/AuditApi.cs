using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Audit;

/// <summary>
/// The tamper-evident audit log. A tenant admin reads and verifies the tenant's own chain; the platform
/// operator names a chain with <c>?tenant=ten_…</c> or <c>?tenant=platform</c> (operator-level events).
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/audit_events").WithTags("Audit").RequireAuthorization(Policies.PlatformOrTenantAdmin);
        group.MapGet("/", ListAuditEvents).WithName("ListAuditEvents").WithSummary("List audit entries, newest first");
        group.MapGet("/verify", VerifyAuditChain).WithName("VerifyAuditChain").WithSummary("Recompute the hash chain and name the first broken link");
        return app;
    }

    public static async Task<Results<Ok<ListResource<AuditEventResource>>, ProblemHttpResult>> ListAuditEvents(
        IGrainFactory grains, ClaimsPrincipal user, [AsParameters] ListQuery query, [FromQuery(Name = "tenant")] string? tenant)
    {
        if (ChainFor(user, tenant, out var chain) is { } refused)
        {
            return refused;
        }
        if (query.Validate(PlatformIds.IsAuditEntryId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await grains.GetGrain<IAuditLogGrain>(chain).ListAsync(page);
        return TypedResults.Ok(new ListResource<AuditEventResource>("/v1/audit_events", result.HasMore,
            result.Items.Select(AuditEventResource.From).ToArray()));
    }

    public static async Task<Results<Ok<AuditVerificationResource>, ProblemHttpResult>> VerifyAuditChain(
        IGrainFactory grains, ClaimsPrincipal user, [FromQuery(Name = "tenant")] string? tenant)
    {
        if (ChainFor(user, tenant, out var chain) is { } refused)
        {
            return refused;
        }
        var result = await grains.GetGrain<IAuditLogGrain>(chain).VerifyAsync();
        return TypedResults.Ok(new AuditVerificationResource(chain, result.Intact, result.EntriesChecked,
            result.FirstBrokenSequence, result.FirstBrokenId, result.Reason));
    }

    private static ProblemHttpResult? ChainFor(ClaimsPrincipal user, string? tenant, out string chain)
    {
        chain = "";
        if (user.TenantIdOf() is { } own)
        {
            // A tenant sees only its own chain; naming another is answered as if it did not exist.
            if (tenant is not null && tenant != own)
            {
                return Problems.NotFound("audit chain");
            }
            chain = own;
            return null;
        }
        if (tenant is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "The platform operator names a chain: tenant=ten_… or tenant=platform.", "tenant");
        }
        if (tenant != IAuditLogGrain.PlatformChain && !PlatformIds.IsTenantId(tenant))
        {
            return Problems.Invalid("tenant", "tenant must be a tenant id or 'platform'.");
        }
        chain = tenant;
        return null;
    }
}
