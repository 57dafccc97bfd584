namespace Platform.StripeFake.Faults;

/// <summary>A fault applied to the next <see cref="Remaining"/> requests whose path starts with <see cref="PathPrefix"/>.</summary>
public sealed class FaultRule
{
    public required FaultKind Kind { get; init; }

    /// <summary>Path prefix such as <c>/v1/payment_intents</c>; case-insensitive.</summary>
    public required string PathPrefix { get; init; }

    /// <summary>HTTP method to match, or null for any.</summary>
    public string? Method { get; init; }

    /// <summary>Status for <see cref="FaultKind.ServerError"/> (500 unless set).</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Only requests whose body contains this text match (for example one meter event's identifier); null for any.</summary>
    public string? BodyContains { get; init; }

    /// <summary>The error <c>code</c> of a <see cref="FaultKind.Refusal"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Delay for the delay kinds.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Requests still to affect.</summary>
    public int Remaining { get; internal set; } = 1;

    internal bool Matches(string method, string path, string body) =>
        Remaining > 0
        && (BodyContains is null || body.Contains(BodyContains, StringComparison.Ordinal))
        && path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase)
        && (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase));
}
