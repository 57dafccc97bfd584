using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Errors;
using Platform.Api.Subscriptions;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Entitlements;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Api.Licenses;

/// <summary>
/// Signed licenses for customers' own instances: a compact JWS with the customer, plan, entitlements,
/// status and expiry, and the JWKS that verifies it offline. Issued for a live subscription only.
/// </summary>
public static class LicensesApi
{
    public const string JwksPath = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapLicensesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/customers/{id}/license", GetCustomerLicense).WithTags("Licenses").WithName("GetCustomerLicense")
            .WithSummary("Issue a signed license (JWS, ES256) for the customer's live subscription").RequireAuthorization(Policies.TenantRead);
        app.MapGet("/v1/license", GetOwnLicense).WithTags("Licenses").WithName("GetOwnLicense")
            .WithSummary("The calling customer's own signed license (customer key)").RequireAuthorization(Policies.CustomerSelf);
        app.MapGet(JwksPath, GetJwks).WithTags("Licenses").WithName("GetJwks")
            .WithSummary("The public keys that verify licenses (JWKS), old keys included until their tokens expire").AllowAnonymous();
        return app;
    }

    public static Task<Results<Ok<LicenseResource>, ProblemHttpResult>> GetCustomerLicense(
        IGrainFactory grains, HttpContext http, LicenseSigner signer, TimeProvider clock, string id) =>
        IssueAsync(grains, http, signer, clock, id);

    public static Task<Results<Ok<LicenseResource>, ProblemHttpResult>> GetOwnLicense(
        IGrainFactory grains, HttpContext http, LicenseSigner signer, TimeProvider clock) =>
        IssueAsync(grains, http, signer, clock, http.User.CustomerIdOf() ?? "");

    public static IResult GetJwks(LicenseSigner signer, HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(signer.Jwks().ToJsonString(), "application/jwk-set+json");
    }

    private static async Task<Results<Ok<LicenseResource>, ProblemHttpResult>> IssueAsync(
        IGrainFactory grains, HttpContext http, LicenseSigner signer, TimeProvider clock, string customerId)
    {
        if (await SubscriptionsApi.CustomerKeyAsync(grains, http, customerId) is not { } key)
        {
            return Problems.NotFound("customer");
        }
        var entitlements = await grains.GetGrain<IEntitlementsGrain>(key).GetAsync();
        var subscription = await grains.GetGrain<ISubscriptionGrain>(key).GetAsync();
        if (entitlements.PlanId is null || subscription is null)
        {
            return Problems.NotFound("license (the customer has no live subscription on a plan)");
        }
        var now = clock.GetUtcNow();
        var expires = now + signer.TokenLifetime;
        var licenseId = "lic_" + PlatformIds.RandomToken(20);
        var features = new JsonObject();
        foreach (var feature in entitlements.Features)
        {
            features[feature.Feature] = feature.Limit is { } limit ? JsonValue.Create(limit) : JsonValue.Create(true);
        }
        var tenantId = http.User.RequireTenantId();
        var claims = new JsonObject
        {
            ["iss"] = signer.Issuer,
            ["sub"] = customerId,
            ["jti"] = licenseId,
            ["tenant"] = tenantId,
            ["subscription"] = subscription.StripeSubscriptionId,
            ["plan"] = entitlements.PlanId,
            ["status"] = entitlements.Status,
            ["entitlements"] = features,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
        };
        var token = signer.Sign(claims);
        var license = new LicenseResource(licenseId, customerId, entitlements.PlanId, entitlements.Status!, expires.ToUnixTimeSeconds(), token);
        // The event names the license, never carries the token: a webhook receiver is not the customer.
        var data = new JsonObject
        {
            ["object"] = "license",
            ["id"] = licenseId,
            ["customer"] = customerId,
            ["plan"] = license.Plan,
            ["status"] = license.Status,
            ["expires"] = license.Expires,
        };
        await grains.GetGrain<ITenantEventsGrain>(tenantId).PublishAsync(
            new PlatformEvent(PlatformIds.NewEventId(), EventTypes.LicenseIssued, now, data.ToJsonString()));
        return TypedResults.Ok(license);
    }
}
