using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Portal;

namespace Platform.Grains.Portal;

/// <summary>
/// A portal session: created with a one-time url secret (only its hash is kept), opened once before the url
/// expires, then live for at most <see cref="PortalSessionRules.Lifetime"/>. Not reentrant, so two concurrent
/// openings of one url cannot both succeed: the first writes <see cref="PortalSessionState.OpenedAt"/> first.
/// </summary>
public sealed class PortalSessionGrain(
    [PersistentState(PortalSessionGrain.StateName, PlatformStorage.Name)] IPersistentState<PortalSessionState> session,
    [FromKeyedServices(PortalClock.Key)] TimeProvider clock) : Grain, IPortalSessionGrain
{
    public const string StateName = "portal_session";

    private const int SecretLength = 32;

    public async Task<PortalSessionSnapshot> CreateAsync(PortalSessionDraft draft)
    {
        if (session.State.TenantId is not null)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "resource_exists", "This portal session already exists.");
        }
        var secret = PlatformIds.RandomToken(SecretLength);
        var now = clock.GetUtcNow();
        session.State.TenantId = draft.TenantId;
        session.State.CustomerId = draft.CustomerId;
        session.State.ReturnUrl = draft.ReturnUrl;
        session.State.SecretHash = Hash(secret);
        session.State.Created = now;
        session.State.ExpiresAt = now + PortalSessionRules.OpenWithin;
        await session.WriteStateAsync();
        return Snapshot()! with { Secret = secret };
    }

    public async Task<PortalOpening> OpenAsync(string secret)
    {
        var state = session.State;
        if (state.TenantId is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(state.SecretHash)))
        {
            return new PortalOpening(PortalOpeningStatus.Unknown);
        }
        if (state.OpenedAt is not null)
        {
            return new PortalOpening(PortalOpeningStatus.AlreadyUsed);
        }
        var now = clock.GetUtcNow();
        if (now >= state.ExpiresAt)
        {
            return new PortalOpening(PortalOpeningStatus.Expired);
        }
        state.OpenedAt = now;
        await session.WriteStateAsync();
        return new PortalOpening(PortalOpeningStatus.Opened, Snapshot(), now + PortalSessionRules.Lifetime);
    }

    public Task<bool> IsLiveAsync() => Task.FromResult(
        session.State.OpenedAt is { } opened && clock.GetUtcNow() < opened + PortalSessionRules.Lifetime);

    public Task<PortalSessionSnapshot?> GetAsync() => Task.FromResult(Snapshot());

    private PortalSessionSnapshot? Snapshot()
    {
        var state = session.State;
        return state.TenantId is null
            ? null
            : new PortalSessionSnapshot(this.GetPrimaryKeyString(), state.TenantId, state.CustomerId, state.ReturnUrl,
                state.Created, state.ExpiresAt, state.OpenedAt);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
