using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Telemetry;
using Platform.Grains.Interfaces.Webhooks;
using Microsoft.Extensions.Logging;

namespace Platform.Grains.Customers;

public sealed class CustomerGrain(
    [PersistentState(CustomerGrain.StateName, PlatformStorage.Name)] IPersistentState<CustomerState> customer,
    ResourceIndex index,
    TimeProvider clock,
    BillingMetrics metrics,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    public const string StateName = "customer";

    public override Task OnActivateAsync(CancellationToken cancellationToken) => PublishOutboxAsync();

    public async Task<CustomerSnapshot> CreateAsync(CustomerDraft draft)
    {
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        if (customer.State.Id is not null)
        {
            return customer.State.Fingerprint is not null && customer.State.Fingerprint == draft.Fingerprint
                ? Snapshot()
                : throw new PlatformException(PlatformErrorKind.Conflict, "idempotency_key_in_use",
                    "This Idempotency-Key was already used with a different request body.");
        }
        var now = clock.GetUtcNow();
        // Index first (see TenantGrain.CreateAsync): listing skips ids that have no state.
        await index.AddAsync(tenantId, ResourceKinds.Customer, customerId, now);
        var state = customer.State;
        state.Id = customerId;
        state.Email = draft.Email;
        state.Name = draft.Name;
        state.Description = draft.Description;
        state.Metadata = new Dictionary<string, string>(draft.Metadata);
        state.Created = now;
        state.Updated = now;
        state.Fingerprint = draft.Fingerprint;
        StageEvent(EventTypes.CustomerCreated, now);
        await customer.WriteStateAsync();
        await AuditAsync(AuditActions.CustomerCreated, customerId, NoDetails);
        metrics.CustomerCreated();
        await PublishOutboxAsync();
        return Snapshot();
    }

    public Task<CustomerSnapshot?> GetAsync() =>
        Task.FromResult(customer.State.Id is null ? null : Snapshot());

    public async Task<CustomerSnapshot?> UpdateAsync(CustomerPatch patch)
    {
        var state = customer.State;
        if (state.Id is null)
        {
            return null;
        }
        state.Email = Apply(state.Email, patch.Email);
        state.Name = Apply(state.Name, patch.Name);
        state.Description = Apply(state.Description, patch.Description);
        foreach (var (key, value) in patch.Metadata ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                state.Metadata.Remove(key);
            }
            else
            {
                state.Metadata[key] = value;
            }
        }
        state.Updated = clock.GetUtcNow();
        StageEvent(EventTypes.CustomerUpdated, state.Updated);
        await customer.WriteStateAsync();
        // Which fields changed, never their values: the audit log must not become a copy of personal data.
        var changed = new[] { ("email", patch.Email), ("name", patch.Name), ("description", patch.Description) }
            .Where(f => f.Item2 is not null).Select(f => f.Item1)
            .Concat(patch.Metadata is { Count: > 0 } ? ["metadata"] : []);
        await AuditAsync(AuditActions.CustomerUpdated, state.Id, new Dictionary<string, string> { ["fields"] = string.Join(',', changed) });
        await PublishOutboxAsync();
        return Snapshot();
    }

    public async Task<IssuedCustomerApiKey> IssueApiKeyAsync()
    {
        var (tenantId, customerId) = EnsureExists();
        var keyId = PlatformIds.NewCustomerKeyId();
        var secret = Customers.CustomerKeySecrets.NewSecret(customerId);
        var summary = new CustomerApiKeySummary(keyId, clock.GetUtcNow(), Customers.CustomerKeySecrets.Hint(secret), Revoked: null);
        // Listed first, then made live (as tenant keys): a failure between leaves a key that verifies nothing.
        customer.State.ApiKeys.Add(summary);
        await customer.WriteStateAsync();
        await GrainFactory.GetGrain<ICustomerCredentialsGrain>(customerId).AddAsync(tenantId, keyId, secret);
        await AuditAsync(AuditActions.CustomerApiKeyIssued, keyId, new Dictionary<string, string> { ["customer"] = customerId });
        return new IssuedCustomerApiKey(summary, secret);
    }

    public Task<IReadOnlyList<CustomerApiKeySummary>> ListApiKeysAsync()
    {
        EnsureExists();
        return Task.FromResult<IReadOnlyList<CustomerApiKeySummary>>(customer.State.ApiKeys.ToArray());
    }

    public async Task<CustomerApiKeySummary?> RevokeApiKeyAsync(string keyId)
    {
        var (_, customerId) = EnsureExists();
        var at = customer.State.ApiKeys.FindIndex(k => k.Id == keyId);
        if (at < 0)
        {
            return null;
        }
        await GrainFactory.GetGrain<ICustomerCredentialsGrain>(customerId).RevokeAsync(keyId);
        var key = customer.State.ApiKeys[at];
        if (key.Revoked is null)
        {
            key = key with { Revoked = clock.GetUtcNow() };
            customer.State.ApiKeys[at] = key;
            await customer.WriteStateAsync();
            await AuditAsync(AuditActions.CustomerApiKeyRevoked, keyId, new Dictionary<string, string> { ["customer"] = customerId });
        }
        return key;
    }

    private (string TenantId, string CustomerId) EnsureExists()
    {
        if (customer.State.Id is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such customer.");
        }
        return PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
    }

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    private Task AuditAsync(string action, string subject, IReadOnlyDictionary<string, string> details)
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(action, subject, details));
    }

    /// <summary>Adds an event carrying the customer as it is now; the next state write stores it with the change.</summary>
    private void StageEvent(string type, DateTimeOffset created) =>
        customer.State.Outbox.Add(new PlatformEvent(PlatformIds.NewEventId(), type, created, CustomerEventData.Render(Snapshot())));

    /// <summary>
    /// Publishes staged events, then writes the emptied outbox. A failure is logged and left for the next
    /// activation or change: the customer change itself is already durable and must not be reported as
    /// failed. Publishing again is harmless (events are idempotent by id).
    /// </summary>
    private async Task PublishOutboxAsync()
    {
        var outbox = customer.State.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        try
        {
            foreach (var staged in outbox.ToArray())
            {
                await GrainFactory.GetGrain<ITenantEventsGrain>(tenantId).PublishAsync(staged);
                outbox.Remove(staged);
            }
            await customer.WriteStateAsync();
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Publishing {Count} staged events of {Customer} failed; they are published on the next change or activation",
                outbox.Count, this.GetPrimaryKeyString());
        }
    }

    private static string? Apply(string? current, string? patch) => patch switch
    {
        null => current,
        "" => null,
        _ => patch,
    };

    private CustomerSnapshot Snapshot()
    {
        var state = customer.State;
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return new CustomerSnapshot(state.Id!, tenantId, state.Email, state.Name, state.Description,
            state.Metadata.AsReadOnly(), state.Created, state.Updated);
    }
}
