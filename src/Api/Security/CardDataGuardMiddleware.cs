using System.Text;
using Platform.Api.Auth;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.CardData;

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
        if (!context.Request.Path.StartsWithSegments(Exempt)
            && await RequestCardDataInspector.InspectAsync(context.Request, Hosting.ApiHost.MaxBodyBytes) is { } refusal)
        {
            await RefuseAsync(context, refusal);
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
        // Our own random identifiers are masked first: W3C trace ids (in every problem's trace_id) and
        // SHA-256 hex (audit hashes) hold a Luhn-valid digit window now and then. Requests are not
        // masked so: card data cannot arrive hex-glued, so it is never stored so.
        if (CardDataDetector.ContainsCardNumber(CardDataDetector.MaskOwnIdentifiers(text, hexTokens: true)))
        {
            logger.LogCritical("A response on {Method} {Route} held a card number; replaced by a 500", context.Request.Method, RouteTemplate.Of(context));
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

    private async Task RefuseAsync(HttpContext context, RequestRefusal refusal)
    {
        // The route template, not the path: paths carry ids (and may carry the very card number refused).
        var route = RouteTemplate.Of(context);
        if (refusal.Kind is { } kind)
        {
            logger.LogWarning("Refused a request carrying a {Kind} on {Method} {Route}", kind, context.Request.Method, route);
            context.RequestServices.GetRequiredService<Telemetry.ApiMetrics>().PanRejected(route);
            if (context.User.TenantIdOf() is { } tenantId)
            {
                await grains.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(AuditActions.CardDataRejected,
                    route, new Dictionary<string, string> { ["method"] = context.Request.Method, ["kind"] = kind }));
            }
        }
        context.Response.StatusCode = refusal.Status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Create(refusal.Status, refusal.Code, refusal.Detail, refusal.Param),
        });
    }
}
