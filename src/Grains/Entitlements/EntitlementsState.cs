using Platform.Grains.Interfaces.Entitlements;

namespace Platform.Grains.Entitlements;

/// <summary>The grant of the customer's live subscription, and what the current period consumed of each limit.</summary>
[GenerateSerializer, Alias("platform.entitlements_state")]
public sealed class EntitlementsState
{
    [Id(0)] public EntitlementGrant? Grant { get; set; }

    [Id(1)] public Dictionary<string, long> Consumed { get; set; } = [];

    /// <summary>Features whose threshold event was published this period.</summary>
    [Id(2)] public HashSet<string> ThresholdReached { get; set; } = [];
}
