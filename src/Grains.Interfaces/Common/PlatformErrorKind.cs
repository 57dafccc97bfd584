namespace Platform.Grains.Interfaces.Common;

/// <summary>Classes of domain refusal; values are stored and never reused.</summary>
[GenerateSerializer, Alias("platform.error_kind")]
public enum PlatformErrorKind
{
    InvalidRequest = 1,
    NotFound = 2,
    Conflict = 3,
    Forbidden = 4,

    /// <summary>The payment provider refused the payment itself (a declined card): HTTP 402.</summary>
    PaymentFailed = 5,

    /// <summary>A dependency (the payment provider) is unreachable or throttling us; safe to retry: HTTP 503.</summary>
    Unavailable = 6,

    /// <summary>Too many requests of this kind for now (a velocity limit): HTTP 429 with Retry-After.</summary>
    TooManyRequests = 7,
}
