namespace Platform.StripeFake.Faults;

/// <summary>What an injected fault does to a matching request.</summary>
public enum FaultKind
{
    /// <summary>Answer with a 5xx <c>api_error</c> without processing.</summary>
    ServerError = 1,

    /// <summary>Answer 429 with Stripe's rate-limit error without processing.</summary>
    RateLimit = 2,

    /// <summary>Wait before processing (a client timeout then means nothing happened).</summary>
    DelayBeforeProcessing = 3,

    /// <summary>Process and commit, then hold the response back (a client timeout hides a committed effect).</summary>
    DelayAfterCommit = 4,

    /// <summary>Process and commit, then abort the connection without any response.</summary>
    DropAfterCommit = 5,

    /// <summary>Answer with a 4xx <c>invalid_request_error</c> (a final refusal) without processing.</summary>
    Refusal = 6,
}
