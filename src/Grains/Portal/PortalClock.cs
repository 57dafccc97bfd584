namespace Platform.Grains.Portal;

/// <summary>
/// The key of the TimeProvider that decides when portal links and sessions expire: the silo's clock unless a
/// test replaces it (as <see cref="Subscriptions.BillingClock"/> does for billing).
/// </summary>
public static class PortalClock
{
    public const string Key = "portal";
}
