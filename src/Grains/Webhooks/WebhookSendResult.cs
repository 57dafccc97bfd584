namespace Platform.Grains.Webhooks;

/// <summary>The outcome of one POST: the status (null when no response came), how long it took, and the
/// failure class (<c>http_status</c>, <c>timeout</c>, <c>connection_failed</c>, <c>address_refused</c>).</summary>
public sealed record WebhookSendResult(int? StatusCode, TimeSpan Latency, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
