namespace Platform.StripeFake.Webhooks;

/// <summary>One attempt to deliver an event to the webhook URL.</summary>
public sealed record WebhookDelivery(
    string EventId,
    string Type,
    int Attempt,
    int? StatusCode,
    string? Error,
    DateTimeOffset At)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
