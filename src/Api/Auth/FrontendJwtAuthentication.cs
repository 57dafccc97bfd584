using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Api.Security;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Auth;

/// <summary>
/// Frontend users: ASP.NET Core's JWT bearer handler validates signature, lifetime, issuer and audience;
/// we then require the claims <c>tenant_id</c> (a tenant id), <c>sub</c> and <c>role</c>
/// (admin|finance|read) and map them onto the same claims tenant keys carry, so one set of policies
/// serves both. A token without a tenant or naming a tenant that does not exist, expired, wrongly signed, or
/// with a <c>crit</c> header is a 401.
/// </summary>
public static class FrontendJwtAuthentication
{
    public const string TenantClaim = "tenant_id";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    /// <summary>A known tenant is remembered this long per host (tenants are never deleted; an unknown one is asked every time).</summary>
    private static readonly TimeSpan _knownTenantLifetime = TimeSpan.FromMinutes(5);

    /// <param name="production">In Production a token must name <c>Jwt:Issuer</c> and <c>Jwt:Audience</c>: the host refuses to start without them.</param>
    public static AuthenticationBuilder AddFrontendJwt(this AuthenticationBuilder builder, JwtSettings settings, bool production)
    {
        var configured = settings.Secret is { Length: > 0 } || settings.Authority is { Length: > 0 };
        if (production && configured && (settings.Issuer is not { Length: > 0 } || settings.Audience is not { Length: > 0 }))
        {
            // Without them a token minted for any other application sharing the key or the identity provider would be accepted.
            throw new InvalidOperationException("Jwt:Issuer and Jwt:Audience are required in Production (env Jwt__Issuer, Jwt__Audience).");
        }
        return builder.AddJwtBearer(AuthSchemes.FrontendJwt, o =>
        {
            o.MapInboundClaims = false;
            o.RequireHttpsMetadata = settings.Authority?.StartsWith("https://", StringComparison.Ordinal) ?? false;
            if (settings.Authority is { Length: > 0 } authority)
            {
                o.Authority = authority;
            }
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = settings.Secret is { Length: > 0 } secret ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) : null,
                ValidAlgorithms = settings.Authority is { Length: > 0 } ? null : [SecurityAlgorithms.HmacSha256],
                ValidateIssuer = settings.Issuer is { Length: > 0 },
                ValidIssuer = settings.Issuer,
                ValidateAudience = settings.Audience is { Length: > 0 },
                ValidAudience = settings.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    var guard = context.HttpContext.RequestServices.GetRequiredService<AuthFailureGuard>();
                    if (guard.IsLockedOut(context.HttpContext, out _))
                    {
                        context.Fail("client locked out after repeated failures");
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    // RFC 7515 4.1.11: a crit header names extensions the recipient must understand; we understand none.
                    if (context.SecurityToken is JsonWebToken { } jwt && jwt.TryGetHeaderValue<object>("crit", out _))
                    {
                        context.Fail("the token has a crit header");
                        return;
                    }
                    var principal = context.Principal!;
                    var tenant = principal.FindFirstValue(TenantClaim);
                    var subject = principal.FindFirstValue(SubjectClaim);
                    var role = principal.FindFirstValue(RoleClaim);
                    if (!PlatformIds.IsTenantId(tenant) || string.IsNullOrEmpty(subject) || Policies.ParseRole(role) is null)
                    {
                        context.Fail("the token lacks a tenant_id, sub or a known role");
                        return;
                    }
                    if (!await TenantExistsAsync(context.HttpContext.RequestServices, tenant!))
                    {
                        context.Fail("the token names no tenant of this platform");
                        return;
                    }
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                        [
                            new Claim(PlatformClaims.Caller, PlatformClaims.CallerTenant),
                            new Claim(PlatformClaims.TenantId, tenant!),
                            new Claim(PlatformClaims.Role, role!),
                            new Claim(PlatformClaims.CredentialId, "user:" + subject),
                        ],
                        AuthSchemes.FrontendJwt));
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var guard = context.HttpContext.RequestServices.GetRequiredService<AuthFailureGuard>();
                    await ProblemAuthenticationHandler.ChallengeAsync(context.HttpContext, guard, AuthSchemes.FrontendJwt, context.AuthenticateFailure);
                },
                OnForbidden = context =>
                {
                    context.HttpContext.RequestServices.GetRequiredService<Telemetry.ApiMetrics>()
                        .AuthFailed(AuthSchemes.FrontendJwt, Errors.ErrorCodes.InsufficientPermissions);
                    return ProblemAuthenticationHandler.WriteAsync(context.HttpContext, 403,
                        Errors.ErrorCodes.InsufficientPermissions, "This credential's role does not allow this operation.");
                },
            };
        });
    }

    private static async Task<bool> TenantExistsAsync(IServiceProvider services, string tenantId)
    {
        var cache = services.GetRequiredService<IMemoryCache>();
        var key = "jwt-tenant:" + tenantId;
        if (cache.TryGetValue(key, out _))
        {
            return true;
        }
        if (await services.GetRequiredService<IGrainFactory>().GetGrain<ITenantGrain>(tenantId).GetAsync() is null)
        {
            return false;
        }
        cache.Set(key, true, _knownTenantLifetime);
        return true;
    }
}
