namespace Platform.Grains.Interfaces.Credentials;

/// <summary>An API host's credential cache, told of every revocation (<see cref="ICredentialRevocationGrain"/>).</summary>
[Alias("platform.credential_revocation_observer")]
public interface ICredentialRevocationObserver : IGrainObserver
{
    [Alias("revoked")]
    Task RevokedAsync(RevocationCursor cursor, CredentialRevocation revocation);
}
