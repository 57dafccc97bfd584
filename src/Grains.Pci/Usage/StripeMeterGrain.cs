using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Pci.Telemetry;
using Stripe;
using Stripe.V2;
using Stripe.V2.Billing;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Grains.Pci.Usage;

/// <summary>
/// Sends a tenant's usage to Stripe meters on the v2 meter event stream: up to 100 events per request
/// (Stripe's v1 <c>/v1/billing/meter_events</c> takes one per request, which cannot keep up with
/// ingestion under a 25 requests/s budget). The stream authenticates with a meter event session token
/// (15 minutes; renewed before expiry or when Stripe says it expired). Each event carries its stable
/// identifier, so a resent batch is deduplicated by Stripe.
/// Failures: transient ones (network, timeouts, 429, 5xx, our key refused) throw, and the forwarder
/// resends the batch later. A request Stripe refuses for good (4xx) is split in halves until the refused
/// events are isolated; those, and events that cannot be sent at all (customer gone, metric without a
/// meter when meters must be configured), are dead-lettered: recorded in this grain's state, counted,
/// audited, and skipped, so they never hold back the tenant's other events.
/// The stream validates events asynchronously (unknown customer or meter); Stripe reports those in its
/// meter error reports, not here.
/// </summary>
[Pci]
public sealed partial class StripeMeterGrain(
    [PersistentState(StripeMeterGrain.StateName, GrainStorageNames.Platform)] IPersistentState<StripeMeterState> state,
    StripeGateway stripe,
    IOptions<StripeMeterOptions> usage,
    PciMetrics metrics,
    TimeProvider clock,
    ILogger<StripeMeterGrain> logger) : Grain, IStripeMeterGrain
{
    public const string StateName = "stripe_meter";
    public const int MaxDeadLetters = 10_000;
    public const string CustomerMissing = "customer_missing";
    public const string MeterNotConfigured = "meter_not_configured";
    private static readonly TimeSpan _sessionRenewal = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, string> _stripeCustomers = new(StringComparer.Ordinal);
    private MeterEventSession? _session;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task SendMeterEventsAsync(IReadOnlyList<StripeMeterEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count > IStripeMeterGrain.MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds at most {IStripeMeterGrain.MaxBatchSize} events.", nameof(events));
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(stripe.Options.OperationTimeout);
        var refused = new List<(StripeMeterEvent Event, string Reason)>();
        var ready = new List<PreparedMeterEvent>(events.Count);
        // Customers not seen yet are resolved side by side (each by its own grain, a Stripe call the first time).
        var unknown = events.Select(e => e.CustomerId).Where(c => !_stripeCustomers.ContainsKey(c)).Distinct(StringComparer.Ordinal).ToArray();
        await Task.WhenAll(unknown.Select(StripeCustomerAsync));
        foreach (var meterEvent in events)
        {
            if ((meterEvent.EventName ?? usage.Value.MeterEventNameFor(meterEvent.Metric)) is not { } eventName)
            {
                refused.Add((meterEvent, MeterNotConfigured));
                continue;
            }
            // Not resolved: the customer no longer exists in our records.
            if (!_stripeCustomers.TryGetValue(meterEvent.CustomerId, out var stripeCustomerId))
            {
                refused.Add((meterEvent, CustomerMissing));
                continue;
            }
            ready.Add(new PreparedMeterEvent(meterEvent, new MeterEventStreamCreateEventOptions
            {
                EventName = eventName,
                Identifier = meterEvent.Identifier,
                Timestamp = meterEvent.Timestamp.UtcDateTime,
                Payload = new Dictionary<string, string>
                {
                    ["stripe_customer_id"] = stripeCustomerId,
                    ["value"] = meterEvent.Quantity.ToString("0.#########", CultureInfo.InvariantCulture),
                },
            }));
        }
        var refusedBefore = refused.Count;
        if (ready.Count > 0)
        {
            await SendAsync(ready, refused, deadline.Token);
        }
        metrics.MeterEventsSent(ready.Count - (refused.Count - refusedBefore));
        if (refused.Count > 0)
        {
            await DeadLetterAsync(refused);
        }
    }

    public Task<IReadOnlyList<DeadLetteredMeterEvent>> ListDeadLettersAsync(int limit)
    {
        var letters = state.State.DeadLetters;
        IReadOnlyList<DeadLetteredMeterEvent> newestFirst = letters.AsEnumerable().Reverse().Take(Math.Clamp(limit, 1, 1000)).ToArray();
        return Task.FromResult(newestFirst);
    }

    /// <summary>Sends a batch; on a final refusal, splits it to find the refused events (log2(100) rounds at most).</summary>
    private async Task SendAsync(IReadOnlyList<PreparedMeterEvent> batch, List<(StripeMeterEvent Event, string Reason)> refused, CancellationToken cancellationToken)
    {
        try
        {
            await StreamAsync(batch, cancellationToken);
        }
        catch (StripeException exception) when (IsFinalRefusal(exception))
        {
            if (batch.Count == 1)
            {
                var code = exception.StripeError?.Code is { Length: > 0 and <= 64 } c ? c : "refused";
                LogRefused(logger, TenantId, batch[0].Event.EventId, (int)exception.HttpStatusCode, code);
                refused.Add((batch[0].Event, code));
                return;
            }
            var half = batch.Count / 2;
            await SendAsync(batch.Take(half).ToArray(), refused, cancellationToken);
            await SendAsync(batch.Skip(half).ToArray(), refused, cancellationToken);
        }
    }

    private async Task StreamAsync(IReadOnlyList<PreparedMeterEvent> batch, CancellationToken cancellationToken)
    {
        var options = new MeterEventStreamCreateOptions { Events = batch.Select(e => e.Stripe).ToList() };
        // Derived from the identifiers: a retry of this very request is recognised; Stripe dedups by identifier anyway.
        var key = StripeIdempotencyKeys.For("meter_events", [TenantId, .. batch.Select(e => e.Event.Identifier)]);
        for (var attempt = 0; ; attempt++)
        {
            var session = await SessionAsync(cancellationToken);
            try
            {
                await stripe.Client.V2.Billing.MeterEventStream.CreateAsync(options,
                    new RequestOptions { ApiKey = session.AuthenticationToken, IdempotencyKey = key }, cancellationToken);
                return;
            }
            catch (TemporarySessionExpiredException) when (attempt == 0)
            {
                _session = null;
            }
            catch (Exception exception) when (exception is not StripeException || !IsFinalRefusal((StripeException)exception))
            {
                throw StripeErrors.Translate(exception, logger) ?? throw new InvalidOperationException("Sending meter events failed.", exception);
            }
        }
    }

    private async Task<MeterEventSession> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { } current && current.ExpiresAt - _sessionRenewal > clock.GetUtcNow().UtcDateTime)
        {
            return current;
        }
        // A fresh key per session: a replayed session would carry an expired token.
        var key = StripeIdempotencyKeys.For("meter_event_session", TenantId, Guid.NewGuid().ToString("N"));
        _session = await stripe.SendAsync((client, ct) => client.V2.Billing.MeterEventSession.CreateAsync(
            new MeterEventSessionCreateOptions(), StripeGateway.Idempotent(key), ct), cancellationToken);
        return _session;
    }

    /// <summary>Learns the customer's Stripe id (created lazily, once, by the customer's PCI grain); nothing if the customer does not exist.</summary>
    private async Task StripeCustomerAsync(string customerId)
    {
        try
        {
            var stripeCustomerId = await GrainFactory.GetGrain<IPaymentMethodsGrain>(PlatformIds.CustomerKey(TenantId, customerId)).EnsureStripeCustomerAsync();
            _stripeCustomers[customerId] = stripeCustomerId;
        }
        catch (PlatformException refusal) when (refusal.Kind == PlatformErrorKind.NotFound)
        {
            // Left unresolved: its events are dead-lettered as customer_missing.
        }
    }

    private async Task DeadLetterAsync(List<(StripeMeterEvent Event, string Reason)> refused)
    {
        var now = clock.GetUtcNow();
        var letters = state.State.DeadLetters;
        var recorded = new List<DeadLetteredMeterEvent>();
        foreach (var (meterEvent, reason) in refused)
        {
            // A batch resent after a failed write must not record its dead letters twice.
            if (letters.Any(l => l.Identifier == meterEvent.Identifier))
            {
                continue;
            }
            var letter = new DeadLetteredMeterEvent(meterEvent.EventId, meterEvent.Identifier, meterEvent.CustomerId,
                meterEvent.Metric, meterEvent.Quantity, meterEvent.Timestamp, reason, now);
            letters.Add(letter);
            recorded.Add(letter);
        }
        if (recorded.Count == 0)
        {
            return;
        }
        if (letters.Count > MaxDeadLetters)
        {
            letters.RemoveRange(0, letters.Count - MaxDeadLetters);
        }
        state.State.DeadLetteredTotal += recorded.Count;
        await state.WriteStateAsync();
        var audit = GrainFactory.GetGrain<IAuditLogGrain>(TenantId);
        foreach (var letter in recorded)
        {
            metrics.MeterEventDeadLettered(letter.Reason);
            LogDeadLettered(logger, TenantId, letter.EventId, letter.CustomerId, letter.Reason);
            await audit.AppendAsync(new AuditDraft(AuditActions.UsageEventDeadLettered, letter.CustomerId,
                new Dictionary<string, string> { ["event_id"] = letter.EventId, ["metric"] = letter.Metric, ["reason"] = letter.Reason }, Actor: "system"));
        }
    }

    /// <summary>Stripe refused the request itself; resending it unchanged cannot succeed. Not: our key refused
    /// (401/403, an operator's fix), throttling (429), conflicts (409), outages (5xx), an expired session.</summary>
    private static bool IsFinalRefusal(StripeException exception) =>
        exception is not TemporarySessionExpiredException
        && exception.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe refused usage event {EventId} of tenant {TenantId} for good: status {Status}, code {Code}")]
    private static partial void LogRefused(ILogger logger, string tenantId, string eventId, int status, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage event {EventId} of tenant {TenantId} (customer {CustomerId}) dead-lettered: {Reason}; it stays in the usage log but is not sent to Stripe")]
    private static partial void LogDeadLettered(ILogger logger, string tenantId, string eventId, string customerId, string reason);
}
