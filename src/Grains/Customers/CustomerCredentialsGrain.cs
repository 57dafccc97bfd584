using System.Security.Cryptography;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Credentials;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Grains.Customers;

public sealed class CustomerCredentialsGrain(
    [PersistentState(CustomerCredentialsGrain.StateName, PlatformStorage.Name)] IPersistentState<CustomerCredentialsState> credentials)
    : Grain, ICustomerCredentialsGrain
{
    public const string StateName = "customer_credentials";

    private string CustomerId => this.GetPrimaryKeyString();

    public async Task AddAsync(string tenantId, string keyId, string secret)
    {
        if (credentials.State.TenantId is { } owner && owner != tenantId)
        {
            throw new InvalidOperationException("A customer id belongs to one tenant.");
        }
        credentials.State.TenantId = tenantId;
        credentials.State.Keys.Add(new CustomerKeyHash(keyId, CustomerKeySecrets.Hash(CustomerId, secret), Revoked: false));
        await credentials.WriteStateAsync();
    }

    public Task<CustomerPrincipal?> VerifyAsync(string secret)
    {
        var tenantId = credentials.State.TenantId;
        if (tenantId is null)
        {
            return Task.FromResult<CustomerPrincipal?>(null);
        }
        var hash = CustomerKeySecrets.Hash(CustomerId, secret);
        CustomerKeyHash? match = null;
        // Compare with every key, not just until the first match, so timing says nothing about which.
        foreach (var key in credentials.State.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.SecretHash) && !key.Revoked)
            {
                match = key;
            }
        }
        return Task.FromResult(match is null ? null : new CustomerPrincipal(match.KeyId, tenantId, CustomerId));
    }

    public async Task<CustomerKeyVerification> VerifyAsync(string secret, RateLimitRequest? limit)
    {
        var principal = await VerifyAsync(secret);
        return new CustomerKeyVerification(principal, principal is null ? null : await RateLimitRequest.AcquireAsync(GrainFactory, limit));
    }

    public async Task RevokeAsync(string keyId)
    {
        var at = credentials.State.Keys.FindIndex(k => k.KeyId == keyId);
        if (at < 0)
        {
            return;
        }
        if (!credentials.State.Keys[at].Revoked)
        {
            credentials.State.Keys[at] = credentials.State.Keys[at] with { Revoked = true };
            await credentials.WriteStateAsync();
        }
        // Also when already revoked: a retry after a failed push pushes again.
        await GrainFactory.GetGrain<ICredentialRevocationGrain>(ICredentialRevocationGrain.Key)
            .PublishAsync(new CredentialRevocation(keyId));
    }

    public async Task RevokeKeysAsync(IReadOnlyList<string> keyIds)
    {
        var changed = false;
        for (var i = 0; i < credentials.State.Keys.Count; i++)
        {
            if (!credentials.State.Keys[i].Revoked && keyIds.Contains(credentials.State.Keys[i].KeyId))
            {
                credentials.State.Keys[i] = credentials.State.Keys[i] with { Revoked = true };
                changed = true;
            }
        }
        if (changed)
        {
            await credentials.WriteStateAsync();
        }
    }
}
