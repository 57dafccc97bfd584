using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Api.StripeWebhooks;

/// <summary>
/// Stripe's inbound webhook. No credential but the <c>Stripe-Signature</c> header, which this side cannot
/// check (no webhook secret here): the raw body and the header go untouched to the PCI
/// <see cref="IStripeWebhookGrain"/>, which verifies and records, then routes in the background. A 2xx means
/// the event is recorded (committed); its receipt says <c>pending</c> until the owner has applied it.
/// The platform-wide <c>webhook</c> budget is spent by the grain only after the signature is verified;
/// posts refused as unsigned are counted per client address by <see cref="WebhookRefusalGuard"/>.
/// </summary>
public static class StripeWebhookApi
{
    /// <summary>Stripe's events are far smaller; the limit keeps a flood of large bodies cheap to refuse.</summary>
    public const int MaxBodyBytes = 256 * 1024;
    public const string SignatureHeader = "Stripe-Signature";

    public static IEndpointRouteBuilder MapStripeWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/stripe/webhook", ReceiveStripeWebhook).WithTags("Stripe").WithName("ReceiveStripeWebhook")
            .WithSummary("Stripe's signed event deliveries; the Stripe-Signature header is the credential")
            .Accepts<JsonElement>("application/json")
            .AllowAnonymous()
            .RequireRateLimit(RateLimitPolicies.Webhook);
        return app;
    }

    public static async Task<Results<Ok<StripeWebhookReceiptResource>, ProblemHttpResult>> ReceiveStripeWebhook(
        HttpContext http, IGrainFactory grains, WebhookRefusalGuard refusals, ILoggerFactory loggers, TimeProvider clock)
    {
        // An address that sent too many posts nobody signed is refused without a call to the cluster.
        if (refusals.IsLockedOut(http, out var lockedUntil))
        {
            return LockedOut(http, lockedUntil, clock);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        if (await ReadBodyAsync(http.Request) is not { } payload)
        {
            return Problems.Result(413, ErrorCodes.BodyTooLarge, $"A Stripe event is at most {MaxBodyBytes / 1024} KiB.");
        }
        var signature = http.Request.Headers[SignatureHeader] is { Count: > 0 } values ? string.Join(',', values.ToArray()) : null;
        StripeWebhookReceipt receipt;
        var budget = refusals.Budget();
        try
        {
            receipt = await grains.GetGrain<IStripeWebhookGrain>(0).ReceiveAsync(payload, signature, budget);
        }
        catch (PlatformException refusal) when (WebhookRefusalGuard.UnsignedCodes.Contains(refusal.Code))
        {
            if (await refusals.RecordRefusalAsync(http, refusal.Code) is { } lockout)
            {
                return LockedOut(http, lockout.ResetAt, clock);
            }
            return Problems.Result(400, refusal.Code, refusal.Message, refusal.Param);
        }
        catch (PlatformException spent) when (spent.Kind == PlatformErrorKind.TooManyRequests && budget is not null)
        {
            http.RequestServices.GetRequiredService<Telemetry.ApiMetrics>().RateLimitRejected(RateLimitPolicies.Webhook);
            http.Response.Headers.RetryAfter = (spent.RetryAfterSeconds ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(RateLimitProblem.Create(RateLimitPolicies.Webhook, budget.Rule, tenantId: null, customerId: null));
        }
        catch (Exception exception) when (NoPciSilo(exception))
        {
            // No pci silo is up: Stripe retries on 5xx, so say so rather than fail with a 500.
            loggers.CreateLogger(typeof(StripeWebhookApi)).LogWarning("A Stripe webhook arrived while no pci silo is available");
            http.Response.Headers.RetryAfter = "5";
            return Problems.Result(503, ErrorCodes.ServiceUnavailable, "Stripe webhooks cannot be verified right now (no PCI silo is available); Stripe retries.");
        }
        return TypedResults.Ok(StripeWebhookReceiptResource.From(receipt));
    }

    private static ProblemHttpResult LockedOut(HttpContext http, DateTimeOffset until, TimeProvider clock)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Result(429, ErrorCodes.RateLimited,
            "Too many unsigned or badly signed posts from this address; retry after the seconds in Retry-After.");
    }

    /// <summary>
    /// How Orleans says no silo can host the PCI grain: none in the cluster's manifest at all (the grain
    /// class is unknown), or none active among those that could.
    /// </summary>
    private static bool NoPciSilo(Exception exception) => exception switch
    {
        ArgumentException e => e.Message.Contains("Could not find an implementation for interface", StringComparison.Ordinal),
        OrleansException e => e.Message.Contains("No active nodes are compatible", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The body exactly as sent (the signature covers its bytes), or null when it is over the limit.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        // One pooled buffer of the announced size (a byte more, to see an overlong body), grown only when chunked.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } announced ? (int)announced + 1 : 16 * 1024);
        var length = 0;
        try
        {
            int read;
            do
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                length += read;
                if (length > MaxBodyBytes)
                {
                    return null;
                }
            }
            while (read > 0);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
