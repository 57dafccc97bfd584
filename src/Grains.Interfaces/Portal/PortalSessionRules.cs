namespace Platform.Grains.Interfaces.Portal;

/// <summary>The lifetimes of a portal session: its url, then the browser session it opens.</summary>
public static class PortalSessionRules
{
    public const string SessionPrefix = "bps_";

    /// <summary>The url must be opened within this time of its creation.</summary>
    public static readonly TimeSpan OpenWithin = TimeSpan.FromMinutes(5);

    /// <summary>The browser session ends this long after the url was opened, whatever happens.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>How long a host's usage subscription lasts unless renewed (<see cref="IUsageWatch"/>).</summary>
    public static readonly TimeSpan WatchLease = TimeSpan.FromSeconds(60);
}
