namespace Platform.Grains.Interfaces.Portal;

/// <summary>
/// One billing portal session, keyed by its id (<c>bps_…</c>). Its url opens once, within
/// <see cref="PortalSessionRules.OpenWithin"/>; the browser session it starts lasts at most
/// <see cref="PortalSessionRules.Lifetime"/> and is checked here on every portal request.
/// </summary>
[Alias("platform.portal_session")]
public interface IPortalSessionGrain : IGrainWithStringKey
{
    /// <summary>Records the session durably before answering; the answer holds the one-time secret of its url.</summary>
    [Alias("create")]
    Task<PortalSessionSnapshot> CreateAsync(PortalSessionDraft draft);

    /// <summary>Opens the session with its url's secret: once, before the url expires.</summary>
    [Alias("open")]
    Task<PortalOpening> OpenAsync(string secret);

    /// <summary>True while an opened session may be used (not expired, not revoked).</summary>
    [Alias("is_live")]
    Task<bool> IsLiveAsync();

    [Alias("get")]
    Task<PortalSessionSnapshot?> GetAsync();
}
