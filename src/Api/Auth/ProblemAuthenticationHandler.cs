using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Api.Telemetry;

namespace Platform.Api.Auth;

/// <summary>
/// Base of our key schemes: a credential locked out from this client address is refused before it is checked;
/// refusals are written in the one error shape (401 with <c>WWW-Authenticate</c>, 403 for a known caller
/// without the right, 429 once repeated failures lock that credential out from the address); failures are
/// counted and audited.
/// </summary>
public abstract class ProblemAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthFailureGuard guard)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string LockedOut = "client locked out after repeated failures";

    protected sealed override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        guard.IsLockedOut(Context, out _)
            ? Task.FromResult(AuthenticateResult.Fail(LockedOut))
            : AuthenticateCredentialAsync();

    protected abstract Task<AuthenticateResult> AuthenticateCredentialAsync();

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ChallengeAsync(Context, guard, Scheme.Name, result.Failure);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Context.RequestServices.GetRequiredService<ApiMetrics>().AuthFailed(Scheme.Name, ErrorCodes.InsufficientPermissions);
        return WriteAsync(Context, 403, ErrorCodes.InsufficientPermissions, "This credential's role does not allow this operation.");
    }

    /// <summary>Shared with the JWT scheme's challenge event.</summary>
    public static async Task ChallengeAsync(HttpContext context, AuthFailureGuard guard, string scheme, Exception? failure)
    {
        var metrics = context.RequestServices.GetRequiredService<ApiMetrics>();
        if (failure is null)
        {
            metrics.AuthFailed(scheme, ErrorCodes.AuthenticationRequired);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(context, 401, ErrorCodes.AuthenticationRequired, "This route needs a credential: Authorization: Bearer <key> or X-API-Key.");
            return;
        }
        var lockout = failure.Message == LockedOut && guard.IsLockedOut(context, out var until)
            ? new Grains.Interfaces.RateLimiting.RateLimitDecision(false, 0, 0, until)
            : await guard.RecordFailureAsync(context, scheme);
        if (lockout is not null)
        {
            metrics.AuthFailed(scheme, ErrorCodes.RateLimited);
            RateLimitHeaders.Write(context.Response, lockout, DateTimeOffset.UtcNow);
            await WriteAsync(context, 429, ErrorCodes.RateLimited, "Too many failed authentication attempts with this credential from this address; retry after the time in Retry-After.");
            return;
        }
        metrics.AuthFailed(scheme, ErrorCodes.InvalidApiKey);
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await WriteAsync(context, 401, ErrorCodes.InvalidApiKey, "The credential is invalid, expired or revoked.");
    }

    public static async Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Problems.Create(status, code, detail) });
    }
}
