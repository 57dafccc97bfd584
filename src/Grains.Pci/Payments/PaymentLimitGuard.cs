using System.Globalization;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Tenants;
using Platform.Grains.Pci.Telemetry;

namespace Platform.Grains.Pci.Payments;

/// <summary>
/// A new payment's fraud limits (docs/SECURITY.md), before any Stripe call: the tenant's amount per
/// payment, then the customer's velocity, reserved in its <see cref="IPaymentVelocityGrain"/>. A hit is
/// counted and audited.
/// </summary>
public sealed class PaymentLimitGuard(IGrainFactory grains, PciMetrics metrics)
{
    public const string AmountTooLarge = "amount_too_large";
    public const string VelocityLimitExceeded = "velocity_limit_exceeded";

    /// <summary>
    /// Checks a new payment against the tenant's limits and reserves it in the customer's velocity grain.
    /// Null when no velocity limit applies; throws 402 <c>amount_too_large</c> or 429 <c>velocity_limit_exceeded</c>.
    /// </summary>
    public async Task<IPaymentVelocityGrain?> ReserveAsync(string tenantId, string paymentId, PaymentDraft draft)
    {
        var limits = await grains.GetGrain<ITenantGrain>(tenantId).GetPaymentLimitsAsync();
        if (limits.MaxAmountPerPayment.TryGetValue(draft.Currency, out var maxAmount) && draft.Amount > maxAmount)
        {
            await LimitHitAsync(tenantId, paymentId, draft, "amount_per_payment");
            throw new PlatformException(PlatformErrorKind.PaymentFailed, AmountTooLarge,
                $"The amount is above this account's limit per payment in {draft.Currency.ToUpperInvariant()}.", "amount");
        }
        var velocityLimits = limits.VelocityLimits();
        if (velocityLimits.Count == 0)
        {
            return null;
        }
        var velocity = grains.GetGrain<IPaymentVelocityGrain>(PlatformIds.CustomerKey(tenantId, draft.CustomerId));
        var decision = await velocity.ReserveAsync(paymentId, draft.Amount, draft.Currency, velocityLimits);
        if (!decision.Allowed)
        {
            var limit = decision.ExceededLimit ?? "velocity";
            await LimitHitAsync(tenantId, paymentId, draft, limit);
            throw new PlatformException(PlatformErrorKind.TooManyRequests, VelocityLimitExceeded,
                $"This customer has reached the {limit.Replace('_', ' ')} limit for payments; retry after the time in Retry-After.")
            {
                RetryAfterSeconds = (int)Math.Clamp(Math.Ceiling(decision.RetryAfter.TotalSeconds), 1, 86_400),
            };
        }
        return velocity;
    }

    private async Task LimitHitAsync(string tenantId, string paymentId, PaymentDraft draft, string limit)
    {
        metrics.PaymentLimitHit(limit, draft.Currency);
        await grains.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(AuditActions.PaymentLimitExceeded, draft.CustomerId,
            new Dictionary<string, string>
            {
                ["payment_id"] = paymentId,
                ["limit"] = limit,
                ["amount"] = draft.Amount.ToString(CultureInfo.InvariantCulture),
                ["currency"] = draft.Currency,
            }));
    }
}
