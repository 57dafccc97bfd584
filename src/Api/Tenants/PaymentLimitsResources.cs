using Platform.Grains.Interfaces.Payments;

namespace Platform.Api.Tenants;

/// <summary>A tenant's fraud limits on payments. Amounts are minor units by lowercase currency; null means no limit.</summary>
public sealed record PaymentLimitsResource(
    string Tenant, IReadOnlyDictionary<string, long> MaxAmountPerPayment, VelocityLimitResource? Hourly, VelocityLimitResource? Daily)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "payment_limits";

    public static PaymentLimitsResource From(string tenantId, PaymentLimits limits) =>
        new(tenantId, limits.MaxAmountPerPayment, VelocityLimitResource.From(limits.Hourly), VelocityLimitResource.From(limits.Daily));
}

/// <summary>Per customer over the last hour or day: at most <c>max_payments</c> payments and <c>max_amount</c> per currency.</summary>
public sealed record VelocityLimitResource(int? MaxPayments, IReadOnlyDictionary<string, long> MaxAmount)
{
    public static VelocityLimitResource? From(VelocityLimit? limit) =>
        limit is null ? null : new(limit.MaxPayments, limit.MaxAmount);
}

/// <summary>The body of POST /v1/tenants/{id}/payment_limits: replaces all limits (an omitted part is no limit).</summary>
public sealed record SetPaymentLimitsRequest(Dictionary<string, long>? MaxAmountPerPayment, SetVelocityLimitRequest? Hourly, SetVelocityLimitRequest? Daily);

public sealed record SetVelocityLimitRequest(int? MaxPayments, Dictionary<string, long>? MaxAmount);
