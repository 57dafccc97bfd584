using System.Net;
using System.Text;

namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// The innermost handler of the Stripe HttpClient, so every attempt (retries included) spends from this
/// silo's token bucket. An empty bucket with a full queue answers as Stripe would, 429 <c>rate_limit</c>,
/// so the retry policy backs off and, when that is exhausted, the caller gets a clean 503.
/// It also refuses a POST without an Idempotency-Key: a retry must never be able to charge twice.
/// </summary>
public sealed class StripeBudgetHandler(StripeOutboundBudget budget) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && !request.Headers.Contains("Idempotency-Key"))
        {
            throw new InvalidOperationException($"A mutating Stripe call to {request.RequestUri?.AbsolutePath} lacks an idempotency key.");
        }
        using var lease = await budget.Limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            return new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                RequestMessage = request,
                Content = new StringContent(
                    """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"The platform's outbound Stripe budget is exhausted."}}""",
                    Encoding.UTF8, "application/json"),
            };
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
