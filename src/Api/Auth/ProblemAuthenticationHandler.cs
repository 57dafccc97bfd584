using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Api.Errors;
using Platform.Api.Telemetry;

namespace Platform.Api.Auth;

/// <summary>
/// Base of our schemes: refusals are written in the one error shape (401 with <c>WWW-Authenticate</c>,
/// 403 for a known caller without the right).
/// </summary>
public abstract class ProblemAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var (code, detail) = result.Failure is null
            ? (ErrorCodes.AuthenticationRequired, "This route needs a credential: Authorization: Bearer <key>.")
            : (ErrorCodes.InvalidApiKey, "The credential is invalid, expired or revoked.");
        Response.Headers.WWWAuthenticate = "Bearer";
        Context.RequestServices.GetRequiredService<ApiMetrics>().AuthFailed(Scheme.Name, code);
        await WriteAsync(401, code, detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Context.RequestServices.GetRequiredService<ApiMetrics>().AuthFailed(Scheme.Name, ErrorCodes.InsufficientPermissions);
        return WriteAsync(403, ErrorCodes.InsufficientPermissions, "This credential's role does not allow this operation.");
    }

    private async Task WriteAsync(int status, string code, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = Problems.Create(status, code, detail) });
    }
}
