using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Errors;

/// <summary>
/// Builds our one error shape: RFC 9457 problem details with Stripe-like extension members
/// <c>code</c> (stable, snake_case) and <c>param</c> (the offending field), plus the request id.
/// </summary>
public static class Problems
{
    public static ProblemDetails Create(int status, string code, string detail, string? param = null)
    {
        var problem = new ProblemDetails
        {
            // Relative to the API that answered (RFC 9457 allows a URI reference): its own /docs/errors page.
            Type = ErrorsPage.TypeOf(code),
            Title = TitleFor(status),
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (param is not null)
        {
            problem.Extensions["param"] = param;
        }
        return problem;
    }

    public static ProblemHttpResult Result(int status, string code, string detail, string? param = null) =>
        TypedResults.Problem(Create(status, code, detail, param));

    public static ProblemHttpResult Invalid(string param, string detail) =>
        Result(StatusCodes.Status400BadRequest, ErrorCodes.ParameterInvalid, detail, param);

    public static ProblemHttpResult NotFound(string what) =>
        Result(StatusCodes.Status404NotFound, ErrorCodes.ResourceMissing, $"No such {what}.");

    private static string TitleFor(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Authentication required",
        402 => "Payment failed",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Request body too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => status >= 500 ? "Internal error" : "Request failed",
    };
}
