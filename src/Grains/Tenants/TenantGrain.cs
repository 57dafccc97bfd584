using System.Globalization;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Credentials;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.RateLimiting;
using Platform.Grains.Interfaces.Tenants;
using Platform.Grains.Telemetry;

namespace Platform.Grains.Tenants;

public sealed class TenantGrain(
    [PersistentState(TenantGrain.StateName, PlatformStorage.Name)] IPersistentState<TenantState> tenant,
    ResourceIndex index,
    TimeProvider clock,
    BillingMetrics metrics) : Grain, ITenantGrain
{
    public const string StateName = "tenant";

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<TenantSnapshot> CreateAsync(TenantDraft draft)
    {
        if (tenant.State.Id is not null)
        {
            return tenant.State.Fingerprint is not null && tenant.State.Fingerprint == draft.Fingerprint
                ? Snapshot()
                : throw new PlatformException(PlatformErrorKind.Conflict, "idempotency_key_in_use",
                    "This Idempotency-Key was already used with a different request body.");
        }
        var created = clock.GetUtcNow();
        // Index first: a crash between the two writes leaves an index row without a tenant, which
        // listing skips, rather than a tenant that no list can find.
        await index.AddAsync(ResourceKinds.PlatformScope, ResourceKinds.Tenant, TenantId, created);
        tenant.State.Id = TenantId;
        tenant.State.Name = draft.Name;
        tenant.State.Metadata = new Dictionary<string, string>(draft.Metadata);
        tenant.State.Created = created;
        tenant.State.Fingerprint = draft.Fingerprint;
        await tenant.WriteStateAsync();
        await AuditAsync(AuditActions.TenantCreated, TenantId, NoDetails);
        metrics.TenantCreated();
        return Snapshot();
    }

    public Task<TenantSnapshot?> GetAsync() =>
        Task.FromResult(tenant.State.Id is null ? null : Snapshot());

    public async Task<IssuedApiKey> IssueApiKeyAsync(ApiKeyRole role)
    {
        EnsureExists();
        var keyId = PlatformIds.NewApiKeyId();
        var secret = ApiKeySecrets.NewSecret(keyId);
        var summary = new ApiKeySummary(keyId, role, clock.GetUtcNow(), ApiKeySecrets.Hint(secret), Revoked: null);
        // Listed first, then made live: a failure in between leaves a listed key that verifies nothing.
        tenant.State.ApiKeys.Add(summary);
        await tenant.WriteStateAsync();
        await GrainFactory.GetGrain<IApiKeyGrain>(keyId).IssueAsync(TenantId, role, secret, summary.Created);
        await AuditAsync(AuditActions.ApiKeyIssued, keyId, new Dictionary<string, string> { ["role"] = role.ToString().ToLowerInvariant() });
        metrics.ApiKeyIssued(RoleTag(role));
        return new IssuedApiKey(summary, secret);
    }

    public Task<IReadOnlyList<ApiKeySummary>> ListApiKeysAsync()
    {
        EnsureExists();
        return Task.FromResult<IReadOnlyList<ApiKeySummary>>(tenant.State.ApiKeys.ToArray());
    }

    public async Task<ApiKeySummary?> RevokeApiKeyAsync(string keyId)
    {
        EnsureExists();
        var at = tenant.State.ApiKeys.FindIndex(k => k.Id == keyId);
        if (at < 0)
        {
            return null;
        }
        // The key grain is the authority every request asks, so revoke it first: the key stops working
        // on every API replica at once, even if recording it here fails afterwards.
        await GrainFactory.GetGrain<IApiKeyGrain>(keyId).RevokeAsync();
        var key = tenant.State.ApiKeys[at];
        if (key.Revoked is null)
        {
            key = key with { Revoked = clock.GetUtcNow() };
            tenant.State.ApiKeys[at] = key;
            await tenant.WriteStateAsync();
            await AuditAsync(AuditActions.ApiKeyRevoked, keyId, NoDetails);
            metrics.ApiKeyRevoked(RoleTag(key.Role));
        }
        return key;
    }

    public async Task<TenantKeysRevocation> RevokeAllKeysAsync(DateTimeOffset? issuedBefore)
    {
        EnsureExists();
        var apiKeys = new List<string>();
        foreach (var key in tenant.State.ApiKeys.Where(k => k.Revoked is null && (issuedBefore is null || k.Created < issuedBefore)).ToList())
        {
            await RevokeApiKeyAsync(key.Id);
            apiKeys.Add(key.Id);
        }
        var customerKeys = new List<string>();
        var directory = GrainFactory.GetGrain<ICustomerDirectoryGrain>(TenantId);
        string? after = null;
        while (true)
        {
            var page = await directory.ListAsync(new PageRequest(100, after));
            foreach (var customer in page.Items)
            {
                customerKeys.AddRange(await GrainFactory.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(TenantId, customer.Id))
                    .RevokeApiKeysAsync(issuedBefore));
            }
            if (!page.HasMore || page.Items.Count == 0)
            {
                break;
            }
            after = page.Items[^1].Id;
        }
        // Every revocation above is stored; one notice naming the tenant drops all of its cached keys on every
        // host (customer keys included) before this answers.
        await GrainFactory.GetGrain<ICredentialRevocationGrain>(ICredentialRevocationGrain.Key)
            .PublishAsync(new CredentialRevocation(TenantId));
        var details = new Dictionary<string, string>
        {
            ["api_keys_revoked"] = apiKeys.Count.ToString(CultureInfo.InvariantCulture),
            ["customer_keys_revoked"] = customerKeys.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (issuedBefore is { } before)
        {
            details["issued_before"] = before.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        await AuditAsync(AuditActions.TenantKeysRevoked, TenantId, details);
        return new TenantKeysRevocation(TenantId, issuedBefore, apiKeys, customerKeys);
    }

    public Task<IReadOnlyDictionary<string, RateLimitRule>> GetRateLimitsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, RateLimitRule>>(tenant.State.RateLimits.AsReadOnly());

    public async Task<IReadOnlyDictionary<string, RateLimitRule>> SetRateLimitsAsync(IReadOnlyDictionary<string, RateLimitRule> limits)
    {
        EnsureExists();
        tenant.State.RateLimits = new Dictionary<string, RateLimitRule>(limits);
        await tenant.WriteStateAsync();
        await AuditAsync(AuditActions.TenantRateLimitsChanged, TenantId,
            limits.ToDictionary(l => l.Key, l => $"{l.Value.PermitLimit}/{(long)l.Value.Window.TotalSeconds}s"));
        return tenant.State.RateLimits.AsReadOnly();
    }

    public Task<PaymentLimits> GetPaymentLimitsAsync() => Task.FromResult(tenant.State.PaymentLimits ?? PaymentLimits.None);

    public async Task<PaymentLimits> SetPaymentLimitsAsync(PaymentLimits limits)
    {
        EnsureExists();
        tenant.State.PaymentLimits = limits;
        await tenant.WriteStateAsync();
        var details = limits.MaxAmountPerPayment.ToDictionary(l => "max_amount_per_payment." + l.Key, l => l.Value.ToString(CultureInfo.InvariantCulture));
        foreach (var velocity in limits.VelocityLimits())
        {
            details[velocity.Name + ".max_payments"] = velocity.MaxPayments?.ToString(CultureInfo.InvariantCulture) ?? "none";
            foreach (var (currency, amount) in velocity.MaxAmount)
            {
                details[velocity.Name + ".max_amount." + currency] = amount.ToString(CultureInfo.InvariantCulture);
            }
        }
        await AuditAsync(AuditActions.TenantPaymentLimitsChanged, TenantId, details);
        return limits;
    }

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    private Task AuditAsync(string action, string subject, IReadOnlyDictionary<string, string> details) =>
        GrainFactory.GetGrain<IAuditLogGrain>(TenantId).AppendAsync(new AuditDraft(action, subject, details));

    private void EnsureExists()
    {
        if (tenant.State.Id is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such tenant.");
        }
    }

    private static string RoleTag(ApiKeyRole role) => role.ToString().ToLowerInvariant();

    private TenantSnapshot Snapshot() =>
        new(TenantId, tenant.State.Name, tenant.State.Created, tenant.State.Metadata.AsReadOnly());
}
