using Platform.Grains.Common;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Grains.Payments;

/// <summary>
/// Sliding-window counts and amounts of one customer's payments. Non-reentrant, so a reservation is
/// checked and recorded in one turn: two concurrent payments cannot both take the last slot. The record
/// is persisted before the answer, so a silo crash does not reopen a window (fraud limits fail closed).
/// Reservations not yet committed count too: a payment whose creation was not answered may exist at
/// Stripe, and a retry with the same Idempotency-Key finds the same reservation. Only a payment that was
/// certainly not created is released.
/// </summary>
public sealed class PaymentVelocityGrain(
    [PersistentState(PaymentVelocityGrain.StateName, PlatformStorage.Name)] IPersistentState<PaymentVelocityState> velocity,
    TimeProvider clock) : Grain, IPaymentVelocityGrain
{
    public const string StateName = "payment_velocity";

    /// <summary>Reservations older than this are dropped: no limit looks further back than a day.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(1);

    public async Task<VelocityDecision> ReserveAsync(string paymentId, long amount, string currency, IReadOnlyList<VelocityLimit> limits)
    {
        var now = clock.GetUtcNow();
        var reservations = velocity.State.Reservations;
        var pruned = reservations.RemoveAll(r => r.At <= now - LongestWindow) > 0;
        if (reservations.Any(r => r.PaymentId == paymentId))
        {
            return VelocityDecision.Allow;
        }
        foreach (var limit in limits)
        {
            if (Exceeds(limit, reservations, now, amount, currency) is { } refusal)
            {
                if (pruned)
                {
                    await velocity.WriteStateAsync();
                }
                return refusal;
            }
        }
        reservations.Add(new VelocityReservation(paymentId, now, amount, currency, Committed: false));
        await velocity.WriteStateAsync();
        return VelocityDecision.Allow;
    }

    public async Task CommitAsync(string paymentId)
    {
        var reservations = velocity.State.Reservations;
        var index = reservations.FindIndex(r => r.PaymentId == paymentId);
        if (index >= 0 && !reservations[index].Committed)
        {
            reservations[index] = reservations[index] with { Committed = true };
            await velocity.WriteStateAsync();
        }
    }

    public async Task ReleaseAsync(string paymentId)
    {
        if (velocity.State.Reservations.RemoveAll(r => r.PaymentId == paymentId && !r.Committed) > 0)
        {
            await velocity.WriteStateAsync();
        }
    }

    /// <summary>The refusal if one more payment would break <paramref name="limit"/>, with the time until it would fit.</summary>
    public static VelocityDecision? Exceeds(VelocityLimit limit, IReadOnlyList<VelocityReservation> reservations, DateTimeOffset now, long amount, string currency)
    {
        var since = now - limit.Window;
        var inWindow = reservations.Where(r => r.At > since).OrderBy(r => r.At).ToList();
        if (limit.MaxPayments is { } maxPayments && inWindow.Count + 1 > maxPayments)
        {
            // The oldest payments must leave the window until only maxPayments - 1 remain.
            var mustLeave = inWindow[inWindow.Count - maxPayments];
            return new VelocityDecision(false, limit.Name + "_count", mustLeave.At + limit.Window - now);
        }
        if (limit.MaxAmount.TryGetValue(currency, out var maxAmount))
        {
            var sameCurrency = inWindow.Where(r => r.Currency == currency).ToList();
            var total = sameCurrency.Sum(r => r.Amount);
            if (total + amount > maxAmount)
            {
                var retryAfter = limit.Window;
                foreach (var leaving in sameCurrency)
                {
                    total -= leaving.Amount;
                    if (total + amount <= maxAmount)
                    {
                        retryAfter = leaving.At + limit.Window - now;
                        break;
                    }
                }
                return new VelocityDecision(false, limit.Name + "_amount", retryAfter);
            }
        }
        return null;
    }
}
