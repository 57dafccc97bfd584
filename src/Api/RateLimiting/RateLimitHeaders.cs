using System.Globalization;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>The IETF draft's RateLimit-Limit / -Remaining / -Reset (seconds), and Retry-After on refusal.</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitDecision decision, DateTimeOffset now)
    {
        var reset = Math.Max(0, (long)Math.Ceiling((decision.ResetAt - now).TotalSeconds));
        response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            response.Headers.RetryAfter = Math.Max(1, reset).ToString(CultureInfo.InvariantCulture);
        }
    }
}
