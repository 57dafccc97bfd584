namespace Platform.Grains.Interfaces.Common;

/// <summary>
/// A refusal a grain makes on domain grounds; the API maps <see cref="Code"/> to a problem-details
/// response. It crosses the silo boundary intact, so it carries only safe text.
/// </summary>
[GenerateSerializer, Alias("platform.exception")]
public sealed class PlatformException : Exception
{
    public PlatformException(PlatformErrorKind kind, string code, string message, string? param = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        Param = param;
    }

    [Id(0)] public PlatformErrorKind Kind { get; }

    [Id(1)] public string Code { get; }

    [Id(2)] public string? Param { get; }

    /// <summary>The card issuer's reason for a decline (Stripe's <c>decline_code</c>), when there is one.</summary>
    [Id(3)] public string? DeclineCode { get; init; }

    /// <summary>Seconds after which a retry may succeed (the API's Retry-After), when the refusal is temporary.</summary>
    [Id(4)] public int? RetryAfterSeconds { get; init; }
}
