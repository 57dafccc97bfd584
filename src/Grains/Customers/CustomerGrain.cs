using Platform.Grains.Common;
using Platform.Grains.DataProtection;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Telemetry;
using Platform.Grains.Interfaces.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Webhooks;

namespace Platform.Grains.Customers;

public sealed partial class CustomerGrain(
    [PersistentState(CustomerGrain.StateName, PlatformStorage.Name)] IPersistentState<CustomerState> customer,
    ResourceIndex index,
    EnvelopeEncryption envelope,
    TimeProvider clock,
    BillingMetrics metrics,
    IOptions<WebhookOptions> webhookOptions,
    Invoices.InvoiceReader invoices,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    public const string StateName = "customer";
    private const string EmailPurpose = "customer.email";
    private const string NamePurpose = "customer.name";
    private const string EventPurpose = "customer.event";

    /// <summary>Purpose of personal values in this customer's audit details (see <see cref="CustomerAuditDetails"/>).</summary>
    public const string AuditPurpose = "audit";

    // The customer's data key and its decrypted fields: in memory only, never in the stored state.
    private readonly EventOutbox _outbox = new();
    private SubjectKey? _key;
    private string? _email;
    private string? _name;

    private string Scope => EnvelopeEncryption.CustomerScope(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var state = customer.State;
        if (state.Id is not null && state.Status == CustomerStatus.Active)
        {
            var legacy = !SubjectKey.IsProtected(state.Email ?? state.Name) && (state.Email ?? state.Name) is not null;
            _key = await envelope.OpenAsync(Scope, create: legacy, cancellationToken);
            if (legacy)
            {
                // Written before encryption at rest: encrypt now, so the stored row stops holding plaintext.
                (_email, _name) = (state.Email, state.Name);
                StoreFields();
                await WriteAsync(cancellationToken);
            }
            else if (_key is not null)
            {
                _email = _key.UnprotectOrNull(state.Email, EmailPurpose);
                _name = _key.UnprotectOrNull(state.Name, NamePurpose);
            }
        }
        await PublishOutboxAsync();
        if (_outbox.HasPublished)
        {
            // Events a previous activation published but did not clear (it ended without another write).
            try
            {
                await WriteAsync(cancellationToken);
            }
            catch (Orleans.Storage.InconsistentStateException)
            {
                // Another activation (two, briefly, while a killed silo leaves the membership) cleared them first:
                // its state stands; read it so this activation's next write carries the current version.
                await customer.ReadStateAsync(cancellationToken);
            }
        }
    }

    /// <summary>Clears the published events, so the next activation has none to send again (if this fails, Orleans logs it and that activation clears them).</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _outbox.HasPublished ? WriteAsync(cancellationToken) : Task.CompletedTask;

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
        _key = await envelope.OpenAsync(Scope, create: true)
            ?? throw new PlatformException(PlatformErrorKind.Conflict, ErasedCode, "This customer id belonged to an erased customer.");
        var state = customer.State;
        if (draft.TestClockId is { } testClockId)
        {
            // Bound for life, as at Stripe; an unknown clock is refused here (NotFound naming test_clock).
            await GrainFactory.GetGrain<Interfaces.TestClocks.ITestClockGrain>(PlatformIds.TestClockKey(tenantId, testClockId)).AttachCustomerAsync(customerId);
            state.TestClockId = testClockId;
        }
        state.Id = customerId;
        (_email, _name) = (draft.Email, draft.Name);
        StoreFields();
        state.Status = CustomerStatus.Active;
        state.Description = draft.Description;
        state.Metadata = new Dictionary<string, string>(draft.Metadata);
        state.Created = now;
        state.Updated = now;
        state.Fingerprint = draft.Fingerprint;
        StageEvent(EventTypes.CustomerCreated, now);
        await WriteAsync();
        await AuditAsync(AuditActions.CustomerCreated, customerId, PersonalDetails(draft.Email, draft.Name));
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
        RefuseIfErased();
        // A customer stored before encryption at rest with neither email nor name has no data key yet.
        _key ??= await envelope.OpenAsync(Scope, create: true)
            ?? throw new PlatformException(PlatformErrorKind.Conflict, ErasedCode, "This customer's data key was shredded.");
        _email = Apply(_email, patch.Email);
        _name = Apply(_name, patch.Name);
        StoreFields();
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
        await WriteAsync();
        // Which fields changed, never their values: the audit log must not become a copy of personal data.
        var changed = new[] { ("email", patch.Email), ("name", patch.Name), ("description", patch.Description) }
            .Where(f => f.Item2 is not null).Select(f => f.Item1)
            .Concat(patch.Metadata is { Count: > 0 } ? ["metadata"] : []);
        // The new email and name go in encrypted under the customer's key: readable in an export, gone with an erasure.
        var details = new Dictionary<string, string>(PersonalDetails(patch.Email is null ? null : _email, patch.Name is null ? null : _name))
        {
            ["fields"] = string.Join(',', changed),
        };
        await AuditAsync(AuditActions.CustomerUpdated, state.Id, details);
        await PublishOutboxAsync();
        return Snapshot();
    }

    public async Task<IssuedCustomerApiKey> IssueApiKeyAsync()
    {
        var (tenantId, customerId) = EnsureExists();
        RefuseIfErased();
        var keyId = PlatformIds.NewCustomerKeyId();
        var secret = Customers.CustomerKeySecrets.NewSecret(customerId);
        var summary = new CustomerApiKeySummary(keyId, clock.GetUtcNow(), Customers.CustomerKeySecrets.Hint(secret), Revoked: null);
        // Listed first, then made live (as tenant keys): a failure between leaves a key that verifies nothing.
        customer.State.ApiKeys.Add(summary);
        await WriteAsync();
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
            await WriteAsync();
            await AuditAsync(AuditActions.CustomerApiKeyRevoked, keyId, new Dictionary<string, string> { ["customer"] = customerId });
        }
        return key;
    }

    public async Task<IReadOnlyList<string>> RevokeApiKeysAsync(DateTimeOffset? issuedBefore)
    {
        if (customer.State.Id is null)
        {
            return [];
        }
        var (_, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var revoked = customer.State.ApiKeys.Where(k => k.Revoked is null && (issuedBefore is null || k.Created < issuedBefore))
            .Select(k => k.Id).ToList();
        if (revoked.Count == 0)
        {
            return revoked;
        }
        // The credentials grain is what every verification asks: revoked there first, the keys stop working even
        // if recording it here fails (a retry finds them still live here and revokes again, idempotently).
        await GrainFactory.GetGrain<ICustomerCredentialsGrain>(customerId).RevokeKeysAsync(revoked);
        var now = clock.GetUtcNow();
        for (var i = 0; i < customer.State.ApiKeys.Count; i++)
        {
            if (revoked.Contains(customer.State.ApiKeys[i].Id))
            {
                customer.State.ApiKeys[i] = customer.State.ApiKeys[i] with { Revoked = now };
            }
        }
        await WriteAsync();
        foreach (var keyId in revoked)
        {
            await AuditAsync(AuditActions.CustomerApiKeyRevoked, keyId, new Dictionary<string, string> { ["customer"] = customerId });
        }
        return revoked;
    }

    public async Task<CustomerErasureResult?> EraseAsync()
    {
        var state = customer.State;
        if (state.Id is null)
        {
            return null;
        }
        var (_, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var now = clock.GetUtcNow();
        if (state.Status != CustomerStatus.Erased)
        {
            // The record stays (its id is in payments, usage and invoices); what identifies a person goes.
            state.Status = CustomerStatus.Erased;
            (_email, _name) = (null, null);
            state.Email = state.Name = state.Description = null;
            state.Metadata.Clear();
            state.Fingerprint = null;
            // Unpublished events carry the personal data being erased: they are dropped, not sent.
            state.Outbox.Clear();
            for (var i = 0; i < state.ApiKeys.Count; i++)
            {
                state.ApiKeys[i] = state.ApiKeys[i] with { Revoked = state.ApiKeys[i].Revoked ?? now };
            }
            state.Updated = now;
            await WriteAsync();
        }
        // Repeated on every call: a crash after the write above left these undone, and both are idempotent.
        var credentials = GrainFactory.GetGrain<ICustomerCredentialsGrain>(customerId);
        foreach (var key in state.ApiKeys)
        {
            await credentials.RevokeAsync(key.Id);
        }
        await envelope.ShredAsync(Scope);
        _key = null;
        return new CustomerErasureResult(Snapshot(), state.ApiKeys.Count);
    }

    private void RefuseIfErased()
    {
        if (customer.State.Status == CustomerStatus.Erased)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, ErasedCode, "This customer was erased; its record keeps only ids and financial data.");
        }
    }

    public const string ErasedCode = "customer_erased";

    /// <summary>Writes the in-memory email and name to the state, encrypted under the customer's key.</summary>
    private void StoreFields()
    {
        var key = _key ?? throw new InvalidOperationException("The customer's data key is not open.");
        customer.State.Email = key.ProtectOrNull(_email, EmailPurpose);
        customer.State.Name = key.ProtectOrNull(_name, NamePurpose);
    }

    /// <summary>Personal values for an audit entry's details, encrypted under the customer's key (absent ones left out).</summary>
    private IReadOnlyDictionary<string, string> PersonalDetails(string? email, string? name)
    {
        var details = new Dictionary<string, string>();
        if (email is not null)
        {
            details[CustomerAuditDetails.Email] = _key!.Protect(email, AuditPurpose);
        }
        if (name is not null)
        {
            details[CustomerAuditDetails.Name] = _key!.Protect(name, AuditPurpose);
        }
        return details;
    }

    private (string TenantId, string CustomerId) EnsureExists()
    {
        if (customer.State.Id is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such customer.");
        }
        return PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
    }

    private Task AuditAsync(string action, string subject, IReadOnlyDictionary<string, string> details)
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(action, subject, details));
    }

    /// <summary>Adds an event carrying the customer as it is now; the next state write stores it with the change.</summary>
    private void StageEvent(string type, DateTimeOffset created) =>
        customer.State.Outbox.Add(new PlatformEvent(PlatformIds.NewEventId(), type, created,
            _key!.Protect(CustomerEventData.Render(Snapshot()), EventPurpose)));

    /// <summary>Every state write goes through here: it also stores the removal of the events already published.</summary>
    private Task WriteAsync(CancellationToken cancellationToken = default)
    {
        _outbox.DropPublished(customer.State.Outbox);
        return customer.WriteStateAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes staged events after the write that stored them (they leave the stored outbox with the next
    /// write). A failure is logged and left for the next change or activation: the customer change itself is
    /// already durable and must not be reported as failed. Publishing again is harmless (idempotent by id).
    /// </summary>
    private async Task PublishOutboxAsync()
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var failure = await _outbox.PublishPendingAsync(customer.State.Outbox, GrainFactory.GetGrain<ITenantEventsGrain>(tenantId),
            clock.GetUtcNow() - webhookOptions.Value.EventRetention,
            // Staged before encryption at rest, the data is still plain JSON; with the key shredded it is dropped.
            staged => !SubjectKey.IsProtected(staged.DataJson) ? staged
                : _key is null ? null
                : staged with { DataJson = _key.Unprotect(staged.DataJson, EventPurpose) });
        if (failure is not null)
        {
            logger.LogWarning(failure, "Publishing staged events of {Customer} failed; they are published on the next change or activation",
                this.GetPrimaryKeyString());
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
        return new CustomerSnapshot(state.Id!, tenantId, _email, _name, state.Description,
            state.Metadata.AsReadOnly(), state.Created, state.Updated, state.Status, state.DefaultPaymentMethodId, state.TestClockId);
    }
}
