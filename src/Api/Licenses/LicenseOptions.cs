namespace Platform.Api.Licenses;

/// <summary>
/// The <c>Licenses</c> section (environment <c>Licenses__…</c>). <see cref="SigningKeys"/>[0] signs; every
/// key listed is published in the JWKS, so after a rotation the old key stays listed (second) until the
/// tokens it signed have expired (<see cref="TokenLifetime"/>), then the operator removes it.
/// </summary>
public sealed class LicenseOptions
{
    public const string SectionName = "Licenses";

    public List<LicenseSigningKey> SigningKeys { get; set; } = [];

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);

    public string Issuer { get; set; } = "platform";
}

/// <summary>A P-256 private key (PKCS#8 or SEC1 PEM) given inline or as a file path; never committed to the repository.</summary>
public sealed class LicenseSigningKey
{
    public string? Kid { get; set; }

    public string? Pem { get; set; }

    public string? File { get; set; }
}
