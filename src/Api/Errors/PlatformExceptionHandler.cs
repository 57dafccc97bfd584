using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Errors;

/// <summary>
/// The one place exceptions become responses. Domain refusals keep their code; bad JSON says where;
/// a cluster that cannot answer is a 503 the client may retry; anything else is a generic 500 with no
/// internals (the exception goes to the log with the request id).
/// </summary>
public sealed class PlatformExceptionHandler(IProblemDetailsService problems, ILogger<PlatformExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            PlatformException refusal => Refusal(httpContext, refusal),
            BadHttpRequestException { InnerException: JsonException json } => BindingFailures.InvalidJson(json, BodyType(httpContext)),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problems.Create(413, ErrorCodes.BodyTooLarge, "The request body is larger than this route accepts."),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                Problems.Create(415, ErrorCodes.UnsupportedMediaType, "Send the body as application/json."),
            BadHttpRequestException bad => BindingFailures.From(bad) ?? Problems.Create(bad.StatusCode, ErrorCodes.ParameterInvalid, "The request is malformed."),
            JsonException json => BindingFailures.InvalidJson(json, BodyType(httpContext)),
            // A storage version conflict: another activation of the grain (briefly two while a killed silo leaves the
            // membership) wrote first. This request's write was not made; a retry reaches the one activation left.
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException
                or GatewayTooBusyException or Orleans.Storage.InconsistentStateException =>
                Unavailable(httpContext),
            _ when IsDatabaseOutage(exception) || IsNoCompatibleSilo(exception) => Unavailable(httpContext),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }
            logger.LogError(exception, "Unhandled error on {Method} {Route}", httpContext.Request.Method, Security.RouteTemplate.Of(httpContext));
            problem = Problems.Create(500, ErrorCodes.InternalError, "Something went wrong on our side. The request id identifies it.");
        }
        else if (problem.Status >= 500)
        {
            logger.LogWarning(exception, "Cluster unavailable on {Method} {Route}", httpContext.Request.Method, Security.RouteTemplate.Of(httpContext));
        }
        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Refusal(HttpContext httpContext, PlatformException refusal)
    {
        var problem = Problems.Create(StatusFor(refusal.Kind), refusal.Code, refusal.Message, refusal.Param);
        if (refusal.DeclineCode is not null)
        {
            problem.Extensions["decline_code"] = refusal.DeclineCode;
        }
        if (refusal.Kind == PlatformErrorKind.Unavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else if (refusal.RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return problem;
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Unavailable(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = "1";
        return Problems.Create(503, ErrorCodes.ServiceUnavailable, "The billing cluster is briefly unavailable; retry with the same Idempotency-Key.");
    }

    /// <summary>
    /// A database failure that reached the API without becoming a refusal in the silo (a grain whose
    /// activation could not load its state): the write was not made, so it is a 503 to retry.
    /// PostgreSQL's own verdicts on data (PostgresException) are not outages, unless they say the server is going away.
    /// </summary>
    private static bool IsDatabaseOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException postgres)
            {
                // Copied across the silo boundary, the exception may lose SqlState; its message starts with the code.
                var state = postgres.SqlState ?? (postgres.Message.Length >= 5 ? postgres.Message[..5] : "");
                return state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P0", StringComparison.Ordinal);
            }
            if (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Orleans' placement found no live silo that may host the grain (the only pci silo is down or restarting):
    /// the call never ran, and it succeeds again once such a silo is back. Orleans gives this no type of its own.
    /// Once the client's cluster manifest has dropped the gone silo, the grain's class is not even known and
    /// <c>GetGrain</c> itself throws an <see cref="ArgumentException"/> (bench/chaos.sh saw 500s from it after a pci
    /// silo kill). Every interface of ours has an implementation on some silo role, so that too means "not now".
    /// </summary>
    private static bool IsNoCompatibleSilo(Exception exception) => exception switch
    {
        OrleansException => exception.Message.StartsWith("No active nodes are compatible with grain", StringComparison.Ordinal),
        ArgumentException => exception.Message.StartsWith("Could not find an implementation for interface", StringComparison.Ordinal),
        _ => false,
    };

    private static Type? BodyType(HttpContext httpContext) => Common.JsonBodyMiddleware.BodyTypeOf(httpContext);

    private static int StatusFor(PlatformErrorKind kind) => kind switch
    {
        PlatformErrorKind.InvalidRequest => 400,
        PlatformErrorKind.NotFound => 404,
        PlatformErrorKind.Conflict => 409,
        PlatformErrorKind.Forbidden => 403,
        PlatformErrorKind.PaymentFailed => 402,
        PlatformErrorKind.Unavailable => 503,
        PlatformErrorKind.TooManyRequests => 429,
        _ => 400,
    };
}
