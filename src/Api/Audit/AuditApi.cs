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
        group.MapGet("/export", ExportAuditEvents).WithName("ExportAuditEvents").RequireAuthorization(Policies.PlatformAdmin)
            .WithSummary("The audit trail of a time window, every chain or one, oldest first (platform admin; the export is audited)");
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

    public const int MaxExportPage = 1000;

    public static async Task<Results<Ok<ListResource<AuditExportEntryResource>>, ProblemHttpResult>> ExportAuditEvents(
        IGrainFactory grains, [FromQuery(Name = "since")] long? since, [FromQuery(Name = "until")] long? until,
        [FromQuery(Name = "tenant")] string? tenant, [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "starting_after")] string? startingAfter)
    {
        if (since is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "since is required (Unix seconds, inclusive).", "since");
        }
        if (since is < 0 or > 253402300799)
        {
            return Problems.Invalid("since", "since is a Unix time in seconds.");
        }
        if (until is { } end && (end <= since || end > 253402300799))
        {
            return Problems.Invalid("until", "until is a Unix time in seconds after since (exclusive).");
        }
        if (tenant is not null && tenant != IAuditLogGrain.PlatformChain && !PlatformIds.IsTenantId(tenant))
        {
            return Problems.Invalid("tenant", "tenant must be a tenant id or 'platform'; omit it for every chain.");
        }
        if (limit is < 1 or > MaxExportPage)
        {
            return Problems.Invalid("limit", $"limit must be between 1 and {MaxExportPage}.");
        }
        if (startingAfter is not null && !PlatformIds.IsAuditEntryId(startingAfter))
        {
            return Problems.Invalid("starting_after", "starting_after must be an audit entry id from the previous page.");
        }
        var request = new AuditExportRequest(DateTimeOffset.FromUnixTimeSeconds(since.Value),
            until is { } u ? DateTimeOffset.FromUnixTimeSeconds(u) : DateTimeOffset.MaxValue, tenant, limit ?? 100, startingAfter);
        var page = await grains.GetGrain<IAuditExportGrain>(0).ExportAsync(request);
        return TypedResults.Ok(new ListResource<AuditExportEntryResource>("/v1/audit_events/export", page.HasMore,
            page.Items.Select(AuditExportEntryResource.From).ToArray()));
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
