namespace Platform.Api.Auth;

/// <summary>
/// The <c>Auth:CredentialCache</c> section: how long and how many verified credentials an API host keeps.
/// Revocations are pushed to every host (<see cref="CredentialRevocationListener"/>); the lifetime only
/// bounds what a host that missed a notice can serve.
/// </summary>
public sealed class CredentialCacheSettings
{
    public const string SectionName = "Auth:CredentialCache";

    /// <summary>Off: every request verifies its credential with the credential's grain.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>At most 60 s: the fallback when a revocation notice is lost.</summary>
    public int TimeToLiveSeconds { get; set; } = 60;

    public int MaxEntries { get; set; } = 100_000;

    /// <summary>How often the host renews its subscription to revocation notices.</summary>
    public int RenewSeconds { get; set; } = 5;

    public TimeSpan TimeToLive => TimeSpan.FromSeconds(Math.Clamp(TimeToLiveSeconds, 0, 60));

    public TimeSpan Renew => TimeSpan.FromSeconds(Math.Clamp(RenewSeconds, 1, 10));
}
