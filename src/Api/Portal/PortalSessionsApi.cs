using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.Subscriptions;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Portal;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Portal;

/// <summary>
/// The tenant's side of the hosted portal: a session for one customer (Stripe's <c>billing_portal.session</c>)
/// whose url the tenant sends its customer to, and the portal's branding.
/// </summary>
public static class PortalSessionsApi
{
    private const int MaxUrlLength = 5000;

    public static IEndpointRouteBuilder MapPortalSessionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/billing_portal/sessions", CreatePortalSession).WithTags("Billing portal").WithName("CreatePortalSession")
            .WithSummary("A hosted billing portal session for one customer: its url opens once, within five minutes")
            .RequireAuthorization(Policies.TenantWrite);
        var branding = app.MapGroup("/v1/tenants/{id}/branding").WithTags("Billing portal").RequireAuthorization(Policies.PlatformOrTenantAdmin);
        branding.MapPost("/", SetBranding).WithName("SetTenantBranding").WithSummary("The name and accent colour (#rrggbb) on the tenant's portal");
        branding.MapGet("/", GetBranding).WithName("GetTenantBranding").WithSummary("The tenant's portal branding");
        return app;
    }

    public static async Task<Results<Ok<PortalSessionResource>, ProblemHttpResult>> CreatePortalSession(
        IGrainFactory grains, HttpContext http, CreatePortalSessionRequest request)
    {
        if (request.Customer is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "customer is required.", "customer");
        }
        if (request.ReturnUrl is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "return_url is required.", "return_url");
        }
        if (request.ReturnUrl.Length > MaxUrlLength || request.ReturnUrl.Any(char.IsControl)
            || !Uri.TryCreate(request.ReturnUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return Problems.Invalid("return_url", $"return_url must be an absolute http(s) URL of at most {MaxUrlLength} characters.");
        }
        if (await SubscriptionsApi.CustomerKeyAsync(grains, http, request.Customer) is null)
        {
            return Problems.Invalid("customer", "customer must be the id of one of your customers (cus_…).");
        }
        var id = PortalSessionRules.SessionPrefix + PlatformIds.RandomToken(24);
        var session = await grains.GetGrain<IPortalSessionGrain>(id)
            .CreateAsync(new PortalSessionDraft(http.User.RequireTenantId(), request.Customer, request.ReturnUrl));
        var url = $"{http.Request.Scheme}://{http.Request.Host}{PortalRoutes.Open(id, session.Secret!)}";
        return TypedResults.Ok(PortalSessionResource.From(session, url));
    }

    public static async Task<Results<Ok<BrandingResource>, ProblemHttpResult>> SetBranding(
        IGrainFactory grains, HttpContext http, string id, SetBrandingRequest request)
    {
        if (!await OwnTenantExistsAsync(grains, http, id))
        {
            return Problems.NotFound("tenant");
        }
        if (request.AccentColor is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "accent_color is required.", "accent_color");
        }
        if (!PortalBranding.IsColor(request.AccentColor))
        {
            return Problems.Invalid("accent_color", "accent_color must be a colour #rrggbb, e.g. #0a7d4f.");
        }
        if (Validation.Text("display_name", request.DisplayName, PortalBranding.MaxDisplayNameLength) is { } invalid)
        {
            return invalid;
        }
        var stored = await grains.GetGrain<ITenantBrandingGrain>(id)
            .SetAsync(new TenantBranding(request.DisplayName?.Trim(), request.AccentColor.ToLowerInvariant(), default));
        return TypedResults.Ok(BrandingResource.From(id, stored));
    }

    public static async Task<Results<Ok<BrandingResource>, ProblemHttpResult>> GetBranding(IGrainFactory grains, HttpContext http, string id)
    {
        if (!await OwnTenantExistsAsync(grains, http, id))
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(BrandingResource.From(id, await grains.GetGrain<ITenantBrandingGrain>(id).GetAsync()));
    }

    /// <summary>The operator may name any tenant; a tenant's admin only its own.</summary>
    private static async Task<bool> OwnTenantExistsAsync(IGrainFactory grains, HttpContext http, string id) =>
        PlatformIds.IsTenantId(id) && (http.User.TenantIdOf() is not { } own || own == id)
        && await grains.GetGrain<ITenantGrain>(id).GetAsync() is not null;
}
