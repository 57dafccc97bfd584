using Platform.Grains.Common;
using Platform.Grains.Interfaces.Credentials;
using Platform.Grains.Interfaces.RateLimiting;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Grains.Tenants;

public sealed class ApiKeyGrain(
    [PersistentState(ApiKeyGrain.StateName, PlatformStorage.Name)] IPersistentState<ApiKeyState> key,
    TimeProvider clock) : Grain, IApiKeyGrain
{
    public const string StateName = "api_key";

    public async Task IssueAsync(string tenantId, ApiKeyRole role, string secret, DateTimeOffset created)
    {
        if (key.State.TenantId is not null)
        {
            throw new InvalidOperationException("An API key id is issued once.");
        }
        key.State.TenantId = tenantId;
        key.State.Role = role;
        key.State.SecretHash = ApiKeySecrets.Hash(this.GetPrimaryKeyString(), secret);
        key.State.Created = created;
        await key.WriteStateAsync();
    }

    public Task<ApiKeyPrincipal?> VerifyAsync(string secret)
    {
        var state = key.State;
        if (state.TenantId is null || state.Revoked is not null
            || !ApiKeySecrets.Matches(this.GetPrimaryKeyString(), secret, state.SecretHash))
        {
            return Task.FromResult<ApiKeyPrincipal?>(null);
        }
        return Task.FromResult<ApiKeyPrincipal?>(new ApiKeyPrincipal(this.GetPrimaryKeyString(), state.TenantId, state.Role));
    }

    public async Task<ApiKeyVerification> VerifyAsync(string secret, RateLimitRequest? limit)
    {
        var principal = await VerifyAsync(secret);
        return new ApiKeyVerification(principal, principal is null ? null : await RateLimitRequest.AcquireAsync(GrainFactory, limit));
    }

    public async Task RevokeAsync()
    {
        if (key.State.TenantId is null)
        {
            return;
        }
        if (key.State.Revoked is null)
        {
            key.State.Revoked = clock.GetUtcNow();
            await key.WriteStateAsync();
        }
        // Also when already revoked: a retry after a failed push pushes again.
        await GrainFactory.GetGrain<ICredentialRevocationGrain>(ICredentialRevocationGrain.Key)
            .PublishAsync(new CredentialRevocation(this.GetPrimaryKeyString()));
    }
}
