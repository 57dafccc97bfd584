using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>A pending delivery whose next attempt is due, with the event it carries.</summary>
public sealed record DueDelivery(string Id, int AttemptCount, int MaxAttempts, PlatformEvent Event);
