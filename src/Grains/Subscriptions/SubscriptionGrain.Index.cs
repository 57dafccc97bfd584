using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Subscriptions;

public sealed partial class SubscriptionGrain
{
    private bool _indexed;

    /// <summary>
    /// Puts the customer's subscription in its tenant's list (GET /v1/subscriptions) after the first write of
    /// an activation that holds one: idempotent, so once per activation is enough, and a write that fails
    /// to index is indexed by the next.
    /// </summary>
    private async Task IndexAsync()
    {
        if (_indexed || subscription.State.Status.Length == 0)
        {
            return;
        }
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var created = subscription.State.SubscriptionCreated > 0
            ? DateTimeOffset.FromUnixTimeSeconds(subscription.State.SubscriptionCreated)
            : clock.GetUtcNow();
        await index.AddAsync(tenantId, ResourceKinds.Subscription, customerId, created);
        _indexed = true;
    }
}
