using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Pci.Telemetry;
using Stripe;

namespace Platform.Grains.Pci.Payments;

/// <summary>
/// One payment's lifecycle at Stripe. Exactly-once: the grain key derives from the tenant's Idempotency-Key,
/// the record is written before Stripe is asked, and the Stripe call's idempotency key derives from the
/// payment id, so every retry (HTTP attempt, grain call, API request) reaches the same PaymentIntent.
/// A new payment first passes the tenant's fraud limits (docs/SECURITY.md): the amount per payment, then
/// the customer's velocity, reserved in its <see cref="IPaymentVelocityGrain"/>; a refusal comes before any
/// Stripe call. The reservation is committed when the payment exists (a decline counts: card testing is
/// what velocity limits stop) and released when it certainly was not created.
/// </summary>
[Pci]
public sealed class PaymentIntentGrain(
    [PersistentState(PaymentIntentGrain.StateName, GrainStorageNames.Platform)] IPersistentState<PaymentIntentState> payment,
    StripeGateway stripe,
    TimeProvider clock,
    PciMetrics metrics,
    ILogger<PaymentIntentGrain> logger) : Grain, IPaymentIntentGrain
{
    public const string StateName = "payment_intent";

    private (string TenantId, string PaymentId) Ids => PlatformIds.ParsePaymentKey(this.GetPrimaryKeyString());

    /// <summary>Events a crash left staged go out on the next activation.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken) => PublishOutboxAsync();

    public async Task<PaymentSnapshot> CreateAsync(PaymentDraft draft)
    {
        var reservation = payment.State.Id is null
            ? await new PaymentLimitGuard(GrainFactory, metrics).ReserveAsync(Ids.TenantId, Ids.PaymentId, draft)
            : null;
        if (reservation is null)
        {
            return await CreateAtStripeAsync(draft);
        }
        var paymentId = Ids.PaymentId;
        try
        {
            var created = await CreateAtStripeAsync(draft);
            await reservation.CommitAsync(paymentId);
            return created;
        }
        catch (PlatformException declined) when (declined.Kind == PlatformErrorKind.PaymentFailed)
        {
            await reservation.CommitAsync(paymentId);
            throw;
        }
        catch (PlatformException refused) when (refused.Kind is PlatformErrorKind.InvalidRequest or PlatformErrorKind.NotFound or PlatformErrorKind.Conflict)
        {
            // Refused before or by Stripe for good: no payment exists, so it must not use up the customer's limits.
            await reservation.ReleaseAsync(paymentId);
            throw;
        }
        // Anything else (Stripe unreachable, a timeout) may have created the payment: the reservation stays.
    }

    private async Task<PaymentSnapshot> CreateAtStripeAsync(PaymentDraft draft)
    {
        var state = payment.State;
        if (state.Id is not null)
        {
            if (state.Fingerprint != draft.Fingerprint)
            {
                throw new PlatformException(PlatformErrorKind.Conflict, "idempotency_key_in_use",
                    "This Idempotency-Key was already used with a different request body.");
            }
            if (state.CreateRefusal is { } refusal)
            {
                throw refusal.ToException();
            }
            if (state.StripePaymentIntentId is not null)
            {
                return Snapshot();
            }
            // An earlier attempt was never answered: ask Stripe again with the same idempotency key.
        }

        var (tenantId, paymentId) = Ids;
        var methods = GrainFactory.GetGrain<IPaymentMethodsGrain>(PlatformIds.CustomerKey(tenantId, draft.CustomerId));
        var stripeCustomerId = await methods.EnsureStripeCustomerAsync();
        if (draft.PaymentMethodId is { } paymentMethodId)
        {
            await methods.RequireAttachedAsync(paymentMethodId);
        }

        if (state.Id is null)
        {
            var now = clock.GetUtcNow();
            await GrainFactory.GetGrain<IResourceIndexGrain>(0).AddPaymentAsync(tenantId, draft.CustomerId, paymentId, now);
            state.Id = paymentId;
            state.CustomerId = draft.CustomerId;
            state.Amount = draft.Amount;
            state.Currency = draft.Currency;
            state.PaymentMethodId = draft.PaymentMethodId;
            state.Confirm = draft.Confirm;
            state.Metadata = new Dictionary<string, string>(draft.Metadata);
            state.Fingerprint = draft.Fingerprint;
            state.Created = now;
            state.LastSynced = now;
            await SaveAsync();
        }

        using var deadline = stripe.Deadline();
        var metadata = new Dictionary<string, string>(state.Metadata);
        foreach (var (key, value) in StripeMetadata.For(tenantId, state.CustomerId, (StripeMetadata.PaymentId, paymentId)))
        {
            metadata[key] = value;
        }
        PaymentIntent intent;
        try
        {
            intent = await stripe.Client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = state.Amount,
                Currency = state.Currency,
                Customer = stripeCustomerId,
                PaymentMethod = state.PaymentMethodId,
                // Cards confirmed by the server: no redirect-based methods, hence no return_url.
                AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
                Confirm = state.Confirm,
                Metadata = metadata,
            }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("payment_intent", tenantId, paymentId)), deadline.Token);
        }
        catch (StripeException declined) when (PaymentStateRules.IsFinal(declined))
        {
            var refusal = StripeErrors.Translate(declined, stripe.Logger)!;
            if (declined.StripeError.PaymentIntent is { } failed)
            {
                PaymentStateRules.Apply(state, failed, clock.GetUtcNow());
            }
            state.LastPaymentError = new PaymentError(refusal.Code, refusal.DeclineCode, refusal.Message);
            state.CreateRefusal = StoredRefusal.From(refusal);
            await SaveAsync();
            await AuditAsync(AuditActions.PaymentCreated, paymentId, ("outcome", refusal.Code), ("decline_code", refusal.DeclineCode));
            throw refusal;
        }
        catch (Exception exception) when (StripeErrors.Translate(exception, stripe.Logger) is { } transient)
        {
            // Not answered or not final: the record stays unanswered and a retry repeats the same call.
            throw transient;
        }
        PaymentStateRules.Apply(payment.State, intent, clock.GetUtcNow());
        try
        {
            // Stripe events about this PaymentIntent find us by its id when its metadata is missing.
            await GrainFactory.GetGrain<IResourceIndexGrain>(0).AddStripeObjectAsync(intent.Id, this.GetPrimaryKeyString(), clock.GetUtcNow());
        }
        catch
        {
            ForgetUnstoredState();
            throw;
        }
        await SaveAsync();
        await AuditAsync(AuditActions.PaymentCreated, paymentId, ("outcome", PaymentStatusName(state.Status)));
        return Snapshot();
    }

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent)
    {
        var state = payment.State;
        var stripeId = stripeEvent.ObjectType == "payment_intent" ? stripeEvent.ObjectId : stripeEvent.PaymentIntent;
        if (state.Id is null || stripeId is null || (state.StripePaymentIntentId is { } known && known != stripeId))
        {
            // Not a payment we made (or another one's): nothing of ours to change.
            return StripeEventOutcome.Ignored;
        }
        if (!PaymentStateRules.ApplyEvent(state, stripeEvent, stripeId))
        {
            return StripeEventOutcome.Stale;
        }
        state.LastSynced = clock.GetUtcNow();
        await SaveAsync();
        return StripeEventOutcome.Applied;
    }

    public async Task<PaymentSnapshot?> GetAsync(bool refresh)
    {
        var state = payment.State;
        if (state.Id is null)
        {
            return null;
        }
        if (refresh && state.StripePaymentIntentId is { } stripeId && !PaymentTransitions.IsSettled(state.Status)
            && clock.GetUtcNow() - state.LastSynced >= stripe.Options.SyncAfter)
        {
            using var deadline = stripe.Deadline();
            try
            {
                PaymentStateRules.Apply(state, await stripe.SendAsync((client, ct) => client.V1.PaymentIntents.GetAsync(stripeId, null, null, ct), deadline.Token), clock.GetUtcNow());
                await SaveAsync();
            }
            catch (PlatformException refusal) when (refusal.Kind == PlatformErrorKind.Unavailable)
            {
                // Stripe is unreachable: what we last knew is still a correct (if older) answer.
            }
        }
        return Snapshot();
    }

    public async Task<RefundSnapshot> RefundAsync(RefundDraft draft)
    {
        var state = payment.State;
        if (state.Id is null || state.StripePaymentIntentId is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such payment_intent.", "payment_intent");
        }
        var (tenantId, paymentId) = Ids;
        var refund = state.Refunds.Find(r => r.IdempotencyKey == draft.IdempotencyKey);
        if (refund is not null)
        {
            if (refund.Fingerprint != draft.Fingerprint)
            {
                throw new PlatformException(PlatformErrorKind.Conflict, "idempotency_key_in_use",
                    "This Idempotency-Key was already used with a different request body.");
            }
            if (refund.Refusal is { } refusal)
            {
                throw refusal.ToException();
            }
            if (refund.StripeRefundId is not null)
            {
                return RefundSnapshot(refund);
            }
        }
        else
        {
            refund = PaymentStateRules.NewRefund(payment.State, draft, this.GetPrimaryKeyString(), clock.GetUtcNow());
            // Listed before it is recorded (as payments are): a retry after a failure between lists it again, harmlessly.
            await GrainFactory.GetGrain<IResourceIndexGrain>(0).AddRefundAsync(tenantId, paymentId, refund.Id, refund.Created);
            state.Refunds.Add(refund);
            await SaveAsync();
        }

        using var deadline = stripe.Deadline();
        Refund created;
        try
        {
            created = await stripe.Client.V1.Refunds.CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = state.StripePaymentIntentId,
                Amount = refund.Amount,
                Metadata = StripeMetadata.For(tenantId, state.CustomerId, (StripeMetadata.PaymentId, paymentId), (StripeMetadata.RefundId, refund.Id)),
            }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("refund", tenantId, paymentId, refund.Id)), deadline.Token);
        }
        catch (StripeException rejected) when (PaymentStateRules.IsFinal(rejected))
        {
            var refusal = StripeErrors.Translate(rejected, stripe.Logger)!;
            refund.Status = RefundRecord.Failed;
            refund.Refusal = StoredRefusal.From(refusal);
            await SaveAsync();
            throw refusal;
        }
        catch (Exception exception) when (StripeErrors.Translate(exception, stripe.Logger) is { } transient)
        {
            throw transient;
        }
        refund.StripeRefundId = created.Id;
        refund.Status = created.Status ?? "succeeded";
        state.AmountRefunded = state.Refunds.Where(r => r.StripeRefundId is not null).Sum(r => r.Amount);
        PaymentStateRules.Move(state, state.AmountRefunded >= state.Amount ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded);
        await SaveAsync();
        await AuditAsync(AuditActions.RefundCreated, refund.Id, ("payment_intent", paymentId), ("amount", Invariant(refund.Amount)), ("outcome", refund.Status));
        return RefundSnapshot(refund);
    }

    public Task<RefundSnapshot?> GetRefundAsync(string refundId) =>
        Task.FromResult(payment.State.Refunds.Find(r => r.Id == refundId) is { Refusal: null } refund ? RefundSnapshot(refund) : null);

    /// <summary>
    /// Every write of the payment goes through here: the events the change means (succeeded, failed,
    /// refunded) are staged in the same write, then published to the tenant's events (webhooks).
    /// </summary>
    private async Task SaveAsync()
    {
        var state = payment.State;
        if (state.Id is not null)
        {
            var now = new PaymentFacts(state.Status, state.AmountRefunded, state.LastPaymentError);
            var types = PaymentEventData.TypesFor(state.Announced ?? PaymentFacts.New, now).ToList();
            if (types.Count > 0)
            {
                var data = PaymentEventData.Render(Snapshot());
                var created = clock.GetUtcNow();
                state.Outbox.AddRange(types.Select(type => new PlatformEvent(PlatformIds.NewEventId(), type, created, data)));
            }
            state.Announced = now;
        }
        try
        {
            await payment.WriteStateAsync();
        }
        catch
        {
            ForgetUnstoredState();
            throw;
        }
        await PublishOutboxAsync();
    }

    /// <summary>
    /// Memory now holds what storage may not (often Stripe's answer): drop this activation, so the next call
    /// starts from the stored record and asks Stripe again with the same idempotency key, instead of
    /// acknowledging from memory something a crash would lose.
    /// </summary>
    private void ForgetUnstoredState()
    {
        logger.LogWarning("Payment {PaymentId}: a write failed; the activation is dropped, so the next call starts from the stored record",
            payment.State.Id);
        this.DeactivateOnIdle();
    }

    /// <summary>
    /// Publishes staged events, then writes the emptied outbox. A failure is logged and left for the next
    /// write or activation: the payment change itself is durable already. Publishing twice is harmless
    /// (events are idempotent by id).
    /// </summary>
    private async Task PublishOutboxAsync()
    {
        var outbox = payment.State.Outbox;
        if (outbox.Count == 0 || payment.State.Id is null)
        {
            return;
        }
        try
        {
            var events = GrainFactory.GetGrain<ITenantEventsGrain>(Ids.TenantId);
            foreach (var staged in outbox.ToList())
            {
                await events.PublishAsync(staged);
            }
            outbox.Clear();
            await payment.WriteStateAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Publishing {Count} events of payment {Payment} failed; they stay staged", outbox.Count, payment.State.Id);
        }
    }

    /// <summary>
    /// Written once, when Stripe first answers (a retry answered from the record writes none): who moved money, to
    /// whom, how much. Ids, amounts and outcomes only, as every audit entry.
    /// </summary>
    private Task AuditAsync(string action, string subject, params (string Key, string? Value)[] details)
    {
        var state = payment.State;
        var all = new Dictionary<string, string>
        {
            ["customer"] = state.CustomerId,
            ["amount"] = Invariant(state.Amount),
            ["currency"] = state.Currency,
        };
        foreach (var (key, value) in details)
        {
            if (value is not null)
            {
                all[key] = value;
            }
        }
        return GrainFactory.GetGrain<IAuditLogGrain>(Ids.TenantId).AppendAsync(new AuditDraft(action, subject, all));
    }

    private static string Invariant(long amount) => amount.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string PaymentStatusName(PaymentStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    private PaymentSnapshot Snapshot() => PaymentStateRules.Snapshot(payment.State, Ids.TenantId);

    private RefundSnapshot RefundSnapshot(RefundRecord refund) => PaymentStateRules.Snapshot(payment.State, refund);
}
