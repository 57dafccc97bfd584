namespace Platform.Grains.Interfaces.Credentials;

/// <summary>
/// The one place revocations are announced to every API host (key <see cref="Key"/>): API hosts cache
/// verified credentials and subscribe here; a grain that revokes a credential publishes here before it
/// answers, and the grain pushes the notice to every subscribed host. Counters only in memory: a new
/// activation starts a new <see cref="RevocationCursor.Epoch"/>, which tells every host to drop its
/// whole cache because notices may have been missed.
/// </summary>
[Alias("platform.credential_revocations")]
public interface ICredentialRevocationGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Subscribes (or renews) an API host; answers the cursor of the last notice sent.</summary>
    [Alias("subscribe")]
    Task<RevocationCursor> SubscribeAsync(ICredentialRevocationObserver observer);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(ICredentialRevocationObserver observer);

    /// <summary>Sends the notice to every subscribed host and returns once each has acknowledged it or
    /// failed to within a short bound.</summary>
    [Alias("publish")]
    Task PublishAsync(CredentialRevocation revocation);
}
