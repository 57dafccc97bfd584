using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Subscriptions;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Grains;

/// <summary>
/// A subscription's state survives a round trip through the real grain storage (PostgreSQL, the silo's
/// serializer), as it must when its grain re-activates on another silo after a kill (bench/chaos.sh found
/// one that could not).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionStateStorageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task StateWithASubscriptionVersionButNoInvoiceVersion_ReadsBackUnchanged()
    {
        var tenant = await fixture.CreateTenantAsync();
        var customerId = PlatformIds.NewCustomerId();
        var grainId = fixture.Cluster.ClusterClient.GetGrain<ISubscriptionGrain>(PlatformIds.CustomerKey(tenant.Id, customerId)).GetGrainId();
        var storage = fixture.Cluster.Silos[0].Services.GetRequiredKeyedService<IGrainStorage>(PlatformStorage.Name);
        // As the grain leaves it after one customer.subscription.* event and no invoice event.
        var written = new SubscriptionState
        {
            StripeSubscriptionId = "sub_storage1",
            Status = "active",
            SubscriptionCreated = 1_767_225_600,
            SubscriptionVersion = new StripeEventVersion(1_767_225_700, SubscriptionStatuses.SubscriptionRank("active"), "evt_storage1"),
        };
        await storage.WriteStateAsync(SubscriptionGrain.StateName, grainId, new GrainState<SubscriptionState>(written));

        var read = new GrainState<SubscriptionState>(new SubscriptionState());
        await storage.ReadStateAsync(SubscriptionGrain.StateName, grainId, read);

        var state = Assert.IsType<SubscriptionState>(read.State);
        Assert.Equal("sub_storage1", state.StripeSubscriptionId);
        Assert.Equal("active", state.Status);
        Assert.Equal(new StripeEventVersion(1_767_225_700, 3, "evt_storage1"), state.SubscriptionVersion);
        Assert.Equal(new StripeEventVersion(0, 0, ""), state.InvoiceVersion);
        // Reading never writes stored values into the "no event yet" version.
        Assert.Equal(new StripeEventVersion(0, 0, ""), StripeEventVersion.None);
    }
}
