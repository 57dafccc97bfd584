using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Platform.Api.Security;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Auth;

/// <summary>
/// Frontend users: ASP.NET Core's JWT bearer handler validates signature, lifetime, issuer and audience;
/// we then require the claims <c>tenant_id</c> (a tenant id), <c>sub</c> and <c>role</c>
/// (admin|finance|read) and map them onto the same claims tenant keys carry, so one set of policies
/// serves both. A token without a tenant, expired, or wrongly signed is a 401.
/// </summary>
public static class FrontendJwtAuthentication
{
    public const string TenantClaim = "tenant_id";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static AuthenticationBuilder AddFrontendJwt(this AuthenticationBuilder builder, JwtSettings settings) =>
        builder.AddJwtBearer(AuthSchemes.FrontendJwt, o =>
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
                OnTokenValidated = context =>
                {
                    var principal = context.Principal!;
                    var tenant = principal.FindFirstValue(TenantClaim);
                    var subject = principal.FindFirstValue(SubjectClaim);
                    var role = principal.FindFirstValue(RoleClaim);
                    if (!PlatformIds.IsTenantId(tenant) || string.IsNullOrEmpty(subject) || Policies.ParseRole(role) is null)
                    {
                        context.Fail("the token lacks a tenant_id, sub or a known role");
                        return Task.CompletedTask;
                    }
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                        [
                            new Claim(PlatformClaims.Caller, PlatformClaims.CallerTenant),
                            new Claim(PlatformClaims.TenantId, tenant!),
                            new Claim(PlatformClaims.Role, role!),
                            new Claim(PlatformClaims.CredentialId, "user:" + subject),
                        ],
                        AuthSchemes.FrontendJwt));
                    return Task.CompletedTask;
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
