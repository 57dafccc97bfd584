namespace Platform.Grains.Portal;

[GenerateSerializer, Alias("platform.portal_session_state")]
public sealed class PortalSessionState
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public string CustomerId { get; set; } = "";

    [Id(2)] public string ReturnUrl { get; set; } = "";

    /// <summary>SHA-256 of the url's secret, hex: the secret itself is never stored.</summary>
    [Id(3)] public string SecretHash { get; set; } = "";

    [Id(4)] public DateTimeOffset Created { get; set; }

    [Id(5)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(6)] public DateTimeOffset? OpenedAt { get; set; }
}
