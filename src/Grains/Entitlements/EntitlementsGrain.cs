using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Entitlements;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Entitlements;

/// <summary>
/// A customer's entitlements, answered from memory. Deliberately not reentrant: each consumption reads,
/// checks, writes and answers before the next one starts, which is what makes a limit hard across every
/// API host (all of them call this one activation). Consumption restarts with each billing period.
/// </summary>
public sealed class EntitlementsGrain(
    [PersistentState(EntitlementsGrain.StateName, PlatformStorage.Name)] IPersistentState<EntitlementsState> entitlements,
    IOptions<EntitlementOptions> options,
    TimeProvider clock,
    ILogger<EntitlementsGrain> logger) : Grain, IEntitlementsGrain
{
    public const string StateName = "entitlements";

    public async Task GrantAsync(EntitlementGrant? grant)
    {
        var state = entitlements.State;
        if (grant is null || state.Grant is null || grant.PeriodStart != state.Grant.PeriodStart)
        {
            state.Consumed.Clear();
            state.ThresholdReached.Clear();
        }
        state.Grant = grant;
        await entitlements.WriteStateAsync();
    }

    public Task<EntitlementsSnapshot> GetAsync()
    {
        var grant = entitlements.State.Grant;
        return Task.FromResult(grant is null
            ? new EntitlementsSnapshot(null, null, null, null, [])
            : new EntitlementsSnapshot(grant.PlanId, grant.Status, grant.PeriodStart, grant.PeriodEnd,
                grant.Entitlements.Select(e => Snapshot(e.Feature, e.Limit)).ToArray()));
    }

    public async Task<EntitlementSnapshot> ConsumeAsync(string feature, long quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var state = entitlements.State;
        var entitlement = state.Grant?.Entitlements.FirstOrDefault(e => e.Feature == feature);
        if (entitlement is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "entitlement_missing", "The customer's plan does not grant this feature.", "feature");
        }
        if (entitlement.Limit is not { } limit)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "entitlement_not_metered",
                "This feature is a flag, not a numeric limit: there is nothing to consume.", "feature");
        }
        var before = state.Consumed.GetValueOrDefault(feature);
        if (quantity > limit - before)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "entitlement_exceeded",
                $"Consuming {quantity} would exceed the limit of {limit} ({limit - before} left this period).", "quantity");
        }
        var after = before + quantity;
        state.Consumed[feature] = after;
        var threshold = (long)Math.Ceiling(limit * options.Value.ThresholdShare);
        PlatformEvent? crossed = null;
        if (after >= threshold && !state.ThresholdReached.Contains(feature))
        {
            state.ThresholdReached.Add(feature);
            crossed = ThresholdEvent(feature, limit, after);
        }
        await entitlements.WriteStateAsync();
        if (crossed is not null)
        {
            await PublishAsync(crossed);
        }
        return Snapshot(feature, limit);
    }

    private EntitlementSnapshot Snapshot(string feature, long? limit) =>
        new(feature, limit, limit is null ? 0 : entitlements.State.Consumed.GetValueOrDefault(feature));

    private PlatformEvent ThresholdEvent(string feature, long limit, long consumed)
    {
        var (_, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var data = new JsonObject
        {
            ["object"] = "entitlement_threshold",
            ["customer"] = customerId,
            ["feature"] = feature,
            ["limit"] = limit,
            ["consumed"] = consumed,
            ["threshold_share"] = options.Value.ThresholdShare,
        };
        return new PlatformEvent(PlatformIds.NewEventId(), EventTypes.UsageThresholdReached, clock.GetUtcNow(), data.ToJsonString());
    }

    /// <summary>The consumption is already durable; a lost notification must not turn it into an error.</summary>
    private async Task PublishAsync(PlatformEvent platformEvent)
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        try
        {
            await GrainFactory.GetGrain<ITenantEventsGrain>(tenantId).PublishAsync(platformEvent);
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Publishing {Type} for {Customer} failed", platformEvent.Type, this.GetPrimaryKeyString());
        }
    }
}
