using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Entitlements;

namespace Platform.Api.Entitlements;

/// <summary>A customer's entitlements now: empty without a live subscription.</summary>
public sealed record EntitlementsResource(string Customer, string? Plan, string? Status, long? PeriodStart, long? PeriodEnd,
    IReadOnlyList<EntitlementResource> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "entitlements";

    public static EntitlementsResource From(string customerId, EntitlementsSnapshot s) => new(customerId, s.PlanId, s.Status,
        s.PeriodStart?.ToUnixTimeSeconds(), s.PeriodEnd?.ToUnixTimeSeconds(), s.Features.Select(EntitlementResource.From).ToArray());
}

/// <summary>A feature flag (<c>limit</c> null) or a numeric limit with what this period consumed and what remains.</summary>
public sealed record EntitlementResource(string Feature, long? Limit, long Consumed, long? Remaining)
{
    [JsonPropertyOrder(-1)]
    public string Object => "entitlement";

    public static EntitlementResource From(EntitlementSnapshot e) => new(e.Feature, e.Limit, e.Consumed, e.Limit - e.Consumed);
}

/// <summary>The body of <c>POST …/entitlements/{feature}/consume</c>; <c>quantity</c> defaults to 1.</summary>
public sealed record ConsumeEntitlementRequest(long? Quantity);
