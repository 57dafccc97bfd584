using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;
using Platform.Grains.Customers;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.DataProtection;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.DataProtection;

/// <summary>
/// Export and erasure of one customer. The erasure is a state machine persisted before each step runs
/// and after each step completes; every step is idempotent, so a crash anywhere only means a step runs
/// again. A reminder, registered before the first step and removed after the last, resumes it after a
/// failure (Stripe away), a crash or a deactivation.
/// </summary>
public sealed class CustomerPrivacyGrain(
    [PersistentState(CustomerPrivacyGrain.StateName, PlatformStorage.Name)] IPersistentState<CustomerErasureState> erasure,
    PersonalDataStore store,
    EnvelopeEncryption envelope,
    IOptions<DataProtectionOptions> options,
    TimeProvider clock,
    ILogger<CustomerPrivacyGrain> logger) : Grain, ICustomerPrivacyGrain, IRemindable
{
    public const string StateName = "customer_erasure";
    public const string ReminderName = "customer-erasure";

    /// <summary>What an export shows for a personal audit detail whose key was shredded.</summary>
    public const string ErasedValue = "[erased]";

    private static readonly ErasureStep[] _steps =
        [ErasureStep.Record, ErasureStep.Usage, ErasureStep.Events, ErasureStep.Subscription, ErasureStep.Stripe, ErasureStep.Audit];

    private (string TenantId, string CustomerId) Ids => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());

    private ICustomerGrain Customer => GrainFactory.GetGrain<ICustomerGrain>(this.GetPrimaryKeyString());

    public async Task<CustomerExport?> ExportAsync()
    {
        var (tenantId, customerId) = Ids;
        if (await Customer.GetAsync() is not { } customer)
        {
            return null;
        }
        var limit = options.Value.ExportLimit;
        var keys = await Customer.ListApiKeysAsync();
        var usage = await GrainFactory.GetGrain<IUsageMeterGrain>(this.GetPrimaryKeyString()).GetUsageAsync(new UsageQuery(null, null, null));
        var payments = await PaymentsAsync(limit);
        var events = await store.EventsAboutAsync(tenantId, customerId, limit);
        var audit = await GrainFactory.GetGrain<IAuditLogGrain>(tenantId).ListAboutAsync(customerId, limit);
        var key = await envelope.OpenAsync(EnvelopeEncryption.CustomerScope(this.GetPrimaryKeyString()), create: false);
        var readable = audit.Select(entry => entry with { Details = Readable(entry.Details, key) }).ToArray();
        await AuditAsync(new AuditDraft(AuditActions.CustomerExported, customerId, new Dictionary<string, string>
        {
            ["payments"] = payments.Count.ToString(CultureInfo.InvariantCulture),
            ["events"] = events.Count.ToString(CultureInfo.InvariantCulture),
            ["audit_entries"] = readable.Length.ToString(CultureInfo.InvariantCulture),
        }));
        return new CustomerExport(customer, keys, usage, payments, events, readable, Current(), clock.GetUtcNow());
    }

    public async Task<CustomerErasure?> EraseAsync()
    {
        var state = erasure.State;
        if (state.Status is null)
        {
            if (await Customer.GetAsync() is null)
            {
                return null;
            }
            state.Status = ErasureStatus.InProgress;
            state.Requested = clock.GetUtcNow();
            state.Salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            state.Actor = AuditContext.Actor;
            state.RequestId = AuditContext.RequestId;
            state.Ip = AuditContext.Ip;
            await erasure.WriteStateAsync();
            // Before any step: from here a crash is always followed by a resumption.
            var period = options.Value.ErasureRetryPeriod;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
        }
        if (state.Status == ErasureStatus.InProgress)
        {
            await RunStepsAsync();
        }
        return Current();
    }

    public Task<CustomerErasure?> GetErasureAsync() => Task.FromResult(Current());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (erasure.State.Status == ErasureStatus.InProgress)
        {
            await RunStepsAsync();
        }
        else if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task RunStepsAsync()
    {
        var state = erasure.State;
        try
        {
            foreach (var step in _steps.Where(s => !state.StepsCompleted.Contains(s)))
            {
                await RunAsync(step);
                state.StepsCompleted.Add(step);
                await erasure.WriteStateAsync();
            }
        }
        catch (Exception e)
        {
            state.Attempts++;
            // Type and message only (no personal data reaches an exception message here); the next tick retries.
            state.LastError = $"{e.GetType().Name}: {e.Message}";
            await erasure.WriteStateAsync();
            logger.LogWarning(e, "Erasure of {Customer} stopped after {Steps}; the reminder resumes it", this.GetPrimaryKeyString(), string.Join(',', state.StepsCompleted));
            return;
        }
        state.Status = ErasureStatus.Completed;
        state.Completed = clock.GetUtcNow();
        state.Salt = null;
        state.LastError = null;
        await erasure.WriteStateAsync();
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task RunAsync(ErasureStep step)
    {
        var (tenantId, customerId) = Ids;
        var outcome = erasure.State.Outcome;
        switch (step)
        {
            case ErasureStep.Record:
                var result = await Customer.EraseAsync() ?? throw new InvalidOperationException("The customer record is gone.");
                outcome["keys_revoked"] = result.KeysRevoked.ToString(CultureInfo.InvariantCulture);
                break;
            case ErasureStep.Usage:
                await GrainFactory.GetGrain<IUsageMeterGrain>(this.GetPrimaryKeyString()).CustomerErasedAsync();
                var rows = await store.PseudonymizeUsageAsync(tenantId, customerId, erasure.State.Salt!);
                outcome["usage_events_pseudonymized"] = rows.ToString(CultureInfo.InvariantCulture);
                break;
            case ErasureStep.Events:
                var events = await store.AnonymizeEventsAsync(tenantId, customerId);
                outcome["events_anonymized"] = events.ToString(CultureInfo.InvariantCulture);
                break;
            case ErasureStep.Subscription:
                var ended = await GrainFactory.GetGrain<ISubscriptionGrain>(this.GetPrimaryKeyString()).EndForErasureAsync();
                outcome["subscription_canceled"] = ended ? "true" : "false";
                break;
            case ErasureStep.Stripe:
                var deleted = await GrainFactory.GetGrain<IPaymentMethodsGrain>(this.GetPrimaryKeyString()).EraseStripeCustomerAsync();
                outcome["stripe_customer_deleted"] = deleted ? "true" : "false";
                break;
            case ErasureStep.Audit:
                var state = erasure.State;
                var details = new Dictionary<string, string>(outcome) { ["steps"] = string.Join(',', _steps.Select(Name)) };
                await AuditAsync(new AuditDraft(AuditActions.CustomerErased, customerId, details, state.Actor, state.RequestId, state.Ip));
                // Tenants' backends learn of the erasure (issue 10's customer.erased) to erase their own copies;
                // the event names the customer and nothing personal. One id per erasure, so a resumed step sends it once.
                await GrainFactory.GetGrain<ITenantEventsGrain>(tenantId).PublishAsync(new PlatformEvent(
                    PlatformIds.DerivedEventId(tenantId, $"customer.erased/{customerId}"), EventTypes.CustomerErased, clock.GetUtcNow(),
                    new JsonObject { ["object"] = "customer", ["id"] = customerId, ["status"] = "erased" }.ToJsonString()));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "unknown erasure step");
        }
    }

    public static string Name(ErasureStep step) => step switch
    {
        ErasureStep.Record => "record",
        ErasureStep.Usage => "usage",
        ErasureStep.Events => "events",
        ErasureStep.Subscription => "subscription",
        ErasureStep.Stripe => "stripe",
        ErasureStep.Audit => "audit",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "unknown erasure step"),
    };

    private async Task<IReadOnlyList<PaymentSnapshot>> PaymentsAsync(int limit)
    {
        var directory = GrainFactory.GetGrain<IPaymentDirectoryGrain>(this.GetPrimaryKeyString());
        var payments = new List<PaymentSnapshot>();
        string? after = null;
        while (payments.Count < limit)
        {
            var page = await directory.ListAsync(new PageRequest(100, after));
            payments.AddRange(page.Items);
            if (!page.HasMore || page.Items.Count == 0)
            {
                break;
            }
            after = page.Items[^1].Id;
        }
        return payments;
    }

    /// <summary>Audit details with the personal values (encrypted under the customer's key) opened, or marked erased.</summary>
    private static IReadOnlyDictionary<string, string> Readable(IReadOnlyDictionary<string, string> details, SubjectKey? key) =>
        details.ToDictionary(d => d.Key, d => !SubjectKey.IsProtected(d.Value) ? d.Value
            : key is null ? ErasedValue
            : key.Unprotect(d.Value, CustomerGrain.AuditPurpose));

    private CustomerErasure? Current()
    {
        var state = erasure.State;
        return state.Status is not { } status ? null
            : new CustomerErasure(Ids.CustomerId, status, state.StepsCompleted.ToArray(), state.Requested, state.Completed, state.Attempts, state.LastError);
    }

    private Task AuditAsync(AuditDraft draft) => GrainFactory.GetGrain<IAuditLogGrain>(Ids.TenantId).AppendAsync(draft);
}
