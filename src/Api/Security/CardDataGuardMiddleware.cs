using System.Text;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Audit;
using Platform.Api.Auth;

namespace Platform.Api.Security;

/// <summary>
/// No card data enters the platform: a request whose body or query holds a card number, a card security
/// code field, track data or a social security number is refused with 400 <c>card_data_forbidden</c>
/// before any grain sees it, audited without the value (only its kind), and never logged.
/// With <c>Platform:CheckResponsesForCardData</c> (on in Development and tests) responses are checked too,
/// and one that would leak a card number is replaced by a 500.
/// </summary>
public sealed class CardDataGuardMiddleware(RequestDelegate next, IConfiguration configuration, IGrainFactory grains, ILogger<CardDataGuardMiddleware> logger)
{
    /// <summary>Stripe's signed webhook bodies are Stripe's own data, verified, and hold no PANs.</summary>
    private static readonly PathString Exempt = "/v1/stripe/webhook";

    private static readonly PathString ApiData = "/v1";

    private readonly bool _checkResponses = configuration.GetValue("Platform:CheckResponsesForCardData", false);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Exempt) && await SensitiveDataInRequestAsync(context.Request) is { } kind)
        {
            logger.LogWarning("Refused a request carrying a {Kind} on {Method} {Path}", kind, context.Request.Method, context.Request.Path);
            // The route template, not the path: paths carry ids, and every tag value is a new time series.
            context.RequestServices.GetRequiredService<Telemetry.ApiMetrics>()
                .PanRejected((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched");
            if (context.User.TenantIdOf() is { } tenantId)
            {
                await grains.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(AuditActions.CardDataRejected,
                    context.Request.Path.Value ?? "", new Dictionary<string, string> { ["method"] = context.Request.Method, ["kind"] = kind }));
            }
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = Problems.Create(400, ErrorCodes.CardDataForbidden,
                    $"The request holds what looks like a {kind}. Card data never goes to this API: collect it with Stripe Elements or Checkout and send the resulting pm_… id."),
            });
            return;
        }
        // Only API data is checked: /metrics (digit-heavy Prometheus text, timestamps), the OpenAPI
        // document and the docs page's scripts are ours, hold no customer data, and trip the scanner.
        if (!_checkResponses || !context.Request.Path.StartsWithSegments(ApiData))
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (CardNumberScanner.ContainsCardNumber(text))
        {
            logger.LogCritical("A response on {Method} {Path} held a card number; replaced by a 500", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = 500;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = Problems.Create(500, ErrorCodes.CardDataInResponse, "A response would have carried card data and was withheld."),
            });
            return;
        }
        await buffer.CopyToAsync(original);
    }

    private static async Task<string?> SensitiveDataInRequestAsync(HttpRequest request)
    {
        if (request.QueryString.HasValue && SensitiveDataScanner.Find(Uri.UnescapeDataString(request.QueryString.Value!)) is { } inQuery)
        {
            return inQuery;
        }
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return null;
        }
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        // JSON may escape digits and separators (\u0034); unescape before scanning so escaping cannot hide a number.
        return SensitiveDataScanner.Find(body)
            ?? (body.Contains("\\u", StringComparison.Ordinal) ? SensitiveDataScanner.Find(UnescapeJson(body)) : null);
    }

    private static string UnescapeJson(string body)
    {
        try
        {
            return System.Text.RegularExpressions.Regex.Unescape(body);
        }
        catch (ArgumentException)
        {
            return body;
        }
    }
}
