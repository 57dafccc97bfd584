using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Platform.Api.Licenses;

/// <summary>
/// Signs licenses as compact JWS (ES256, RFC 7515/7518) with the first configured key and publishes every
/// configured key's public half as a JWKS. Without keys: an ephemeral key in Development (a warning says
/// tokens die with the process), otherwise the host refuses to start.
/// </summary>
public sealed class LicenseSigner : IDisposable
{
    private readonly List<(string Kid, ECDsa Key)> _keys = [];

    public LicenseSigner(IOptions<LicenseOptions> options, IHostEnvironment environment, ILogger<LicenseSigner> logger)
    {
        var configured = options.Value.SigningKeys;
        for (var i = 0; i < configured.Count; i++)
        {
            var entry = configured[i];
            var pem = entry.Pem is { Length: > 0 } inline ? inline
                : entry.File is { Length: > 0 } path ? System.IO.File.ReadAllText(path)
                : throw new InvalidOperationException($"Licenses:SigningKeys:{i} needs Pem or File.");
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new InvalidOperationException($"Licenses:SigningKeys:{i} must be a P-256 key (ES256).");
            }
            _keys.Add((entry.Kid is { Length: > 0 } kid ? kid : Thumbprint(key), key));
        }
        if (_keys.Count == 0)
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException("Licenses:SigningKeys is required outside Development (a P-256 private key PEM, or File).");
            }
            var ephemeral = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _keys.Add((Thumbprint(ephemeral), ephemeral));
            logger.LogWarning("No Licenses:SigningKeys configured: licenses are signed with an ephemeral development key");
        }
        Issuer = options.Value.Issuer;
        TokenLifetime = options.Value.TokenLifetime;
    }

    public string Issuer { get; }

    public TimeSpan TokenLifetime { get; }

    public string Sign(JsonObject claims)
    {
        var (kid, key) = _keys[0];
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = kid };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        // .NET signs ECDSA in IEEE P1363 form (r‖s), which is exactly JWS's.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Every configured key's public half (RFC 7517).</summary>
    public JsonObject Jwks()
    {
        var keys = new JsonArray();
        foreach (var (kid, key) in _keys)
        {
            var p = key.ExportParameters(includePrivateParameters: false);
            keys.Add(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["use"] = "sig",
                ["alg"] = "ES256",
                ["kid"] = kid,
                ["x"] = Base64Url(p.Q.X!),
                ["y"] = Base64Url(p.Q.Y!),
            });
        }
        return new JsonObject { ["keys"] = keys };
    }

    public void Dispose()
    {
        foreach (var (_, key) in _keys)
        {
            key.Dispose();
        }
    }

    /// <summary>The RFC 7638 thumbprint: a kid that names the key itself.</summary>
    private static string Thumbprint(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        var canonical = JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["crv"] = "P-256",
            ["kty"] = "EC",
            ["x"] = Base64Url(p.Q.X!),
            ["y"] = Base64Url(p.Q.Y!),
        });
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
