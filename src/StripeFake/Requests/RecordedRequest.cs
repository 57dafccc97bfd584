namespace Platform.StripeFake.Requests;

/// <summary>One request the fake received, as <c>GET /_fake/requests</c> lists it.</summary>
public sealed record RecordedRequest(
    string RequestId,
    string Method,
    string Path,
    string? Query,
    string? IdempotencyKey,
    int StatusCode,
    bool Replayed,
    string? Fault,
    string Body,
    DateTimeOffset At);
