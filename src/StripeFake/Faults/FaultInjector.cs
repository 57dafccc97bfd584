namespace Platform.StripeFake.Faults;

/// <summary>Arms faults for the next requests matching a path prefix; each rule is used up request by request.</summary>
public sealed class FaultInjector
{
    private readonly Lock _sync = new();
    private readonly List<FaultRule> _rules = [];

    /// <summary>Rules not yet used up.</summary>
    public IReadOnlyList<FaultRule> Pending
    {
        get
        {
            lock (_sync)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> matching requests get <paramref name="statusCode"/> (5xx) with an <c>api_error</c>.</summary>
    public void FailNext(string pathPrefix, int count = 1, int statusCode = 500, string? method = null) =>
        Add(new FaultRule { Kind = FaultKind.ServerError, PathPrefix = pathPrefix, Remaining = count, StatusCode = statusCode, Method = method });

    /// <summary>The next <paramref name="count"/> matching requests get 429 with Stripe's rate-limit error.</summary>
    public void RateLimitNext(string pathPrefix, int count = 1, string? method = null) =>
        Add(new FaultRule { Kind = FaultKind.RateLimit, PathPrefix = pathPrefix, Remaining = count, StatusCode = 429, Method = method });

    /// <summary>The next matching requests wait <paramref name="delay"/> before being processed.</summary>
    public void DelayNext(string pathPrefix, TimeSpan delay, int count = 1, string? method = null) =>
        Add(new FaultRule { Kind = FaultKind.DelayBeforeProcessing, PathPrefix = pathPrefix, Delay = delay, Remaining = count, Method = method });

    /// <summary>The next matching requests are processed and committed, then their response is held for <paramref name="delay"/>.</summary>
    public void DelayResponseAfterCommit(string pathPrefix, TimeSpan delay, int count = 1, string? method = null) =>
        Add(new FaultRule { Kind = FaultKind.DelayAfterCommit, PathPrefix = pathPrefix, Delay = delay, Remaining = count, Method = method });

    /// <summary>The next matching requests are processed and committed, then the connection is aborted without a response.</summary>
    public void DropResponseAfterCommit(string pathPrefix, int count = 1, string? method = null) =>
        Add(new FaultRule { Kind = FaultKind.DropAfterCommit, PathPrefix = pathPrefix, Remaining = count, Method = method });

    /// <summary>
    /// The next <paramref name="count"/> matching requests whose body contains <paramref name="bodyContains"/>
    /// are refused for good: <paramref name="statusCode"/> (4xx) with an <c>invalid_request_error</c> and <paramref name="code"/>.
    /// </summary>
    public void RefuseNext(string pathPrefix, string bodyContains, int count = 1, int statusCode = 400, string code = "parameter_invalid", string? method = null) =>
        Add(new FaultRule
        {
            Kind = FaultKind.Refusal,
            PathPrefix = pathPrefix,
            BodyContains = bodyContains,
            Remaining = count,
            StatusCode = statusCode,
            ErrorCode = code,
            Method = method,
        });

    /// <summary>Whether some armed rule looks at request bodies (so the middleware reads them only then).</summary>
    internal bool NeedsBody
    {
        get
        {
            lock (_sync)
            {
                return _rules.Any(r => r.BodyContains is not null);
            }
        }
    }

    public void Add(FaultRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Remaining, 1);
        lock (_sync)
        {
            _rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _rules.Clear();
        }
    }

    /// <summary>Takes one use of the first rule matching the request, if any.</summary>
    internal FaultRule? Take(string method, string path, string body)
    {
        lock (_sync)
        {
            var rule = _rules.FirstOrDefault(r => r.Matches(method, path, body));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            if (rule.Remaining == 0)
            {
                _rules.Remove(rule);
            }

            return rule;
        }
    }
}
