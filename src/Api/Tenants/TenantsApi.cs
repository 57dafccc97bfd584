using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.RateLimiting;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Tenants;

/// <summary>Tenants and their API keys: the platform operator's routes.</summary>
public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants").WithTags("Tenants").RequireAuthorization(Policies.PlatformAdmin)
            .RequireRateLimit(RateLimitPolicies.Admin);
        group.MapPost("/", CreateTenant).WithName("CreateTenant").WithSummary("Create a tenant");
        group.MapGet("/", ListTenants).WithName("ListTenants").WithSummary("List tenants, newest first");
        group.MapGet("/{id}", GetTenant).WithName("GetTenant").WithSummary("Retrieve a tenant");
        group.MapPost("/{id}/api_keys", IssueApiKey).WithName("IssueTenantApiKey").WithSummary("Issue an API key; the secret is shown once");
        group.MapGet("/{id}/api_keys", ListApiKeys).WithName("ListTenantApiKeys").WithSummary("List a tenant's API keys (no secrets)");
        group.MapDelete("/{id}/api_keys/{keyId}", RevokeApiKey).WithName("RevokeTenantApiKey").WithSummary("Revoke an API key at once");
        group.MapPost("/{id}/revoke_keys", RevokeAllKeys).WithName("RevokeAllTenantKeys")
            .WithSummary("Revoke every API key of a tenant and every key of its customers (or those issued before a time) on every API host at once");
        group.MapGet("/{id}/rate_limits", GetRateLimits).WithName("GetTenantRateLimits").WithSummary("A tenant's rate-limit overrides");
        group.MapPost("/{id}/rate_limits", SetRateLimits).WithName("SetTenantRateLimits")
            .WithSummary("Replace a tenant's rate-limit overrides (policies api and usage); replicas apply them within 30 s");
        // The operator or the tenant's own admin: outside the group, whose policy is the operator's alone.
        var limits = app.MapGroup("/v1/tenants/{id}/payment_limits").WithTags("Tenants")
            .RequireAuthorization(Policies.PlatformOrTenantAdmin).RequireRateLimit(RateLimitPolicies.Admin);
        limits.MapGet("/", GetPaymentLimits).WithName("GetTenantPaymentLimits").WithSummary("A tenant's fraud limits on payments");
        limits.MapPost("/", SetPaymentLimits).WithName("SetTenantPaymentLimits")
            .WithSummary("Replace a tenant's fraud limits: amount per payment, and per customer per hour and day (count and amount)");
        return app;
    }

    public static async Task<Results<Ok<TenantResource>, ProblemHttpResult>> CreateTenant(
        [AsParameters] TenantServices services, CreateTenantRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if (request.Name is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "name is required.", "name");
        }
        if ((Validation.Text("name", request.Name, 256) ?? Validation.Metadata(request.Metadata) ?? Validation.IdempotencyKey(idempotencyKey)) is { } invalid)
        {
            return invalid;
        }
        var metadata = request.Metadata ?? [];
        var id = idempotencyKey is null ? PlatformIds.NewTenantId() : PlatformIds.TenantIdFor(idempotencyKey);
        var draft = new TenantDraft(request.Name.Trim(), metadata, DraftFingerprint.Of(request.Name, DraftFingerprint.Of(metadata)));
        var tenant = await services.Grains.GetGrain<ITenantGrain>(id).CreateAsync(draft);
        return TypedResults.Ok(TenantResource.From(tenant));
    }

    public static async Task<Results<Ok<ListResource<TenantResource>>, ProblemHttpResult>> ListTenants(
        [AsParameters] TenantServices services, [AsParameters] ListQuery query)
    {
        if (query.Validate(PlatformIds.IsTenantId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await services.Grains.GetGrain<ITenantDirectoryGrain>(0).ListAsync(page);
        return TypedResults.Ok(new ListResource<TenantResource>("/v1/tenants", result.HasMore, result.Items.Select(TenantResource.From).ToArray()));
    }

    public static async Task<Results<Ok<TenantResource>, ProblemHttpResult>> GetTenant([AsParameters] TenantServices services, string id)
    {
        var tenant = PlatformIds.IsTenantId(id) ? await services.Grains.GetGrain<ITenantGrain>(id).GetAsync() : null;
        return tenant is null ? Problems.NotFound("tenant") : TypedResults.Ok(TenantResource.From(tenant));
    }

    public static async Task<Results<Ok<IssuedApiKeyResource>, ProblemHttpResult>> IssueApiKey(
        [AsParameters] TenantServices services, string id, CreateApiKeyRequest request)
    {
        if (request.Role is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "role is required: admin, finance or read.", "role");
        }
        if (Policies.ParseRole(request.Role) is not { } role)
        {
            return Problems.Invalid("role", "role must be admin, finance or read.");
        }
        if (await ExistingTenant(services, id) is null)
        {
            return Problems.NotFound("tenant");
        }
        var issued = await services.Grains.GetGrain<ITenantGrain>(id).IssueApiKeyAsync(role);
        return TypedResults.Ok(new IssuedApiKeyResource(issued.Key.Id, request.Role, UnixTime.Seconds(issued.Key.Created), issued.Secret));
    }

    public static async Task<Results<Ok<ListResource<ApiKeyResource>>, ProblemHttpResult>> ListApiKeys(
        [AsParameters] TenantServices services, string id)
    {
        if (await ExistingTenant(services, id) is null)
        {
            return Problems.NotFound("tenant");
        }
        var keys = await services.Grains.GetGrain<ITenantGrain>(id).ListApiKeysAsync();
        return TypedResults.Ok(new ListResource<ApiKeyResource>($"/v1/tenants/{id}/api_keys", false,
            keys.OrderByDescending(k => k.Created).Select(ApiKeyResource.From).ToArray()));
    }

    public static async Task<Results<Ok<TenantKeysRevocationResource>, ProblemHttpResult>> RevokeAllKeys(
        [AsParameters] TenantServices services, string id, RevokeAllKeysRequest? request)
    {
        if (await ExistingTenant(services, id) is null)
        {
            return Problems.NotFound("tenant");
        }
        DateTimeOffset? issuedBefore = null;
        if (request?.IssuedBefore is { } seconds)
        {
            if (seconds is <= 0 or > 253402300799)
            {
                return Problems.Invalid("issued_before", "issued_before is a Unix time in seconds.");
            }
            issuedBefore = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        var revoked = await services.Grains.GetGrain<ITenantGrain>(id).RevokeAllKeysAsync(issuedBefore);
        return TypedResults.Ok(TenantKeysRevocationResource.From(revoked));
    }

    public static async Task<Results<Ok<ApiKeyResource>, ProblemHttpResult>> RevokeApiKey(
        [AsParameters] TenantServices services, string id, string keyId)
    {
        if (!PlatformIds.IsApiKeyId(keyId) || await ExistingTenant(services, id) is null)
        {
            return Problems.NotFound("api key");
        }
        var revoked = await services.Grains.GetGrain<ITenantGrain>(id).RevokeApiKeyAsync(keyId);
        return revoked is null ? Problems.NotFound("api key") : TypedResults.Ok(ApiKeyResource.From(revoked));
    }

    public static async Task<Results<Ok<RateLimitsResource>, ProblemHttpResult>> GetRateLimits([AsParameters] TenantServices services, string id)
    {
        if (await ExistingTenant(services, id) is null)
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(ToResource(id, await services.Grains.GetGrain<ITenantGrain>(id).GetRateLimitsAsync()));
    }

    public static async Task<Results<Ok<RateLimitsResource>, ProblemHttpResult>> SetRateLimits(
        [AsParameters] TenantServices services, string id, SetRateLimitsRequest request)
    {
        var limits = request.Limits ?? [];
        foreach (var (policy, limit) in limits)
        {
            if (!RateLimitPolicies.TenantConfigurable.Contains(policy))
            {
                return Problems.Invalid($"limits[{policy}]", $"Tenants may override these policies: {string.Join(", ", RateLimitPolicies.TenantConfigurable)}.");
            }
            if (limit.PermitLimit is < 1 or > 1_000_000 || limit.WindowSeconds is < 1 or > 86_400)
            {
                return Problems.Invalid($"limits[{policy}]", "permit_limit must be 1 to 1,000,000 and window_seconds 1 to 86,400.");
            }
        }
        if (await ExistingTenant(services, id) is null)
        {
            return Problems.NotFound("tenant");
        }
        var saved = await services.Grains.GetGrain<ITenantGrain>(id).SetRateLimitsAsync(
            limits.ToDictionary(l => l.Key, l => new RateLimitRule(l.Value.PermitLimit, TimeSpan.FromSeconds(l.Value.WindowSeconds))));
        return TypedResults.Ok(ToResource(id, saved));
    }

    public static async Task<Results<Ok<PaymentLimitsResource>, ProblemHttpResult>> GetPaymentLimits([AsParameters] TenantServices services, string id)
    {
        if (await OwnOrOperatedTenant(services, id) is not { } tenant)
        {
            return Problems.NotFound("tenant");
        }
        return TypedResults.Ok(PaymentLimitsResource.From(id, await tenant.GetPaymentLimitsAsync()));
    }

    public static async Task<Results<Ok<PaymentLimitsResource>, ProblemHttpResult>> SetPaymentLimits(
        [AsParameters] TenantServices services, string id, SetPaymentLimitsRequest request)
    {
        if ((CurrencyAmounts("max_amount_per_payment", request.MaxAmountPerPayment)
             ?? Velocity("hourly", request.Hourly) ?? Velocity("daily", request.Daily)) is { } invalid)
        {
            return invalid;
        }
        if (await OwnOrOperatedTenant(services, id) is not { } tenant)
        {
            return Problems.NotFound("tenant");
        }
        var limits = new PaymentLimits(
            Normalized(request.MaxAmountPerPayment),
            request.Hourly is { } hourly ? VelocityLimit.HourlyOf(hourly.MaxPayments, Normalized(hourly.MaxAmount)) : null,
            request.Daily is { } daily ? VelocityLimit.DailyOf(daily.MaxPayments, Normalized(daily.MaxAmount)) : null);
        return TypedResults.Ok(PaymentLimitsResource.From(id, await tenant.SetPaymentLimitsAsync(limits)));
    }

    private static ProblemHttpResult? CurrencyAmounts(string param, Dictionary<string, long>? amounts)
    {
        foreach (var (currency, amount) in amounts ?? [])
        {
            if (Currencies.Normalize(currency) is null)
            {
                return Problems.Invalid($"{param}[{currency}]", "Keys are three-letter ISO 4217 currency codes, such as usd.");
            }
            if (Validation.Amount($"{param}[{currency}]", amount, minimum: 1) is { } badAmount)
            {
                return badAmount;
            }
        }
        return null;
    }

    private static ProblemHttpResult? Velocity(string param, SetVelocityLimitRequest? limit)
    {
        if (limit is null)
        {
            return null;
        }
        if (limit.MaxPayments is < 1 or > 1_000_000)
        {
            return Problems.Invalid($"{param}.max_payments", "max_payments must be 1 to 1,000,000 (omit it for no count limit).");
        }
        if (limit.MaxPayments is null && (limit.MaxAmount is null || limit.MaxAmount.Count == 0))
        {
            return Problems.Invalid(param, $"{param} needs max_payments or max_amount (omit {param} for no limit).");
        }
        return CurrencyAmounts($"{param}.max_amount", limit.MaxAmount);
    }

    private static Dictionary<string, long> Normalized(Dictionary<string, long>? amounts) =>
        (amounts ?? []).ToDictionary(a => a.Key.ToLowerInvariant(), a => a.Value, StringComparer.Ordinal);

    /// <summary>The tenant's grain when the caller is the operator or this tenant's admin, and the tenant exists; else null (404, no oracle).</summary>
    private static async Task<ITenantGrain?> OwnOrOperatedTenant(TenantServices services, string id)
    {
        if (services.Http.User.TenantIdOf() is { } own && own != id)
        {
            return null;
        }
        return await ExistingTenant(services, id);
    }

    private static RateLimitsResource ToResource(string tenantId, IReadOnlyDictionary<string, RateLimitRule> limits) =>
        new(tenantId, limits.ToDictionary(l => l.Key, l => new RateLimitResource(l.Value.PermitLimit, (long)l.Value.Window.TotalSeconds)));

    /// <summary>The tenant's grain, or null when the id is malformed or names no tenant (mirrors CustomersApi.ExistingCustomer).</summary>
    private static async Task<ITenantGrain?> ExistingTenant(TenantServices services, string id)
    {
        if (!PlatformIds.IsTenantId(id))
        {
            return null;
        }
        var grain = services.Grains.GetGrain<ITenantGrain>(id);
        return await grain.GetAsync() is null ? null : grain;
    }
}
