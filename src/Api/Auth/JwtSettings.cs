namespace Platform.Api.Auth;

/// <summary>The <c>Jwt</c> section: frontend tokens, HS256 with a shared secret or an issuer's keys (Authority).</summary>
public sealed class JwtSettings
{
    public const string SectionName = "Jwt";

    /// <summary>HS256 signing secret, at least 32 bytes. Secret: never logged.</summary>
    public string? Secret { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>An OpenID Connect authority whose published keys sign tokens (asymmetric); replaces Secret.</summary>
    public string? Authority { get; set; }
}
