namespace Platform.Grains.Interfaces.Entitlements;

/// <summary>
/// A customer's entitlements, keyed <c>ten_…/cus_…</c>. Not reentrant: a consumption is checked, written
/// and answered before the next is looked at, so concurrent callers (any number of API hosts) can never
/// together pass a limit.
/// </summary>
[Alias("platform.entitlements")]
public interface IEntitlementsGrain : IGrainWithStringKey
{
    /// <summary>Set by the customer's subscription whenever its plan, status or period changes; null: nothing is granted.</summary>
    [Alias("grant")]
    Task GrantAsync(EntitlementGrant? grant);

    [Alias("get")]
    Task<EntitlementsSnapshot> GetAsync();

    /// <summary>
    /// Consumes <paramref name="quantity"/> of a numeric limit, durably, or refuses it whole
    /// (Conflict <c>entitlement_exceeded</c>; NotFound <c>entitlement_missing</c> for a feature not granted).
    /// </summary>
    [Alias("consume")]
    Task<EntitlementSnapshot> ConsumeAsync(string feature, long quantity);
}
