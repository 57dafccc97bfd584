namespace Platform.Grains.Subscriptions;

/// <summary>
/// The key of the TimeProvider that decides trial ends and period roll-overs. It is the silo's clock
/// unless a test replaces it: moving the whole silo's TimeProvider would move Orleans' own timing too.
/// </summary>
public static class BillingClock
{
    public const string Key = "billing";
}
