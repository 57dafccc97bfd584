using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Api.Licenses;

namespace Platform.Unit.Tests.Api.Licenses;

public sealed class LicenseSignerTests
{
    private static readonly string OldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();
    private static readonly string NewKey = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();

    private static LicenseSigner Signer(string environment, params LicenseSigningKey[] keys) =>
        new(Options.Create(new LicenseOptions { SigningKeys = [.. keys] }), new HostingEnvironment { EnvironmentName = environment },
            NullLogger<LicenseSigner>.Instance);

    [Fact]
    public async Task Sign_AfterRotation_OldTokensStillVerifyWithTheNewJwks()
    {
        using var before = Signer("Production", new LicenseSigningKey { Kid = "old", Pem = OldKey });
        using var after = Signer("Production", new LicenseSigningKey { Kid = "new", Pem = NewKey }, new LicenseSigningKey { Kid = "old", Pem = OldKey });
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var oldToken = before.Sign(new JsonObject { ["iss"] = "platform", ["sub"] = "cus_1", ["exp"] = exp });
        var newToken = after.Sign(new JsonObject { ["iss"] = "platform", ["sub"] = "cus_1", ["exp"] = exp });

        var jwks = new JsonWebKeySet(after.Jwks().ToJsonString());
        Assert.Equal(["new", "old"], jwks.Keys.Select(k => k.Kid));
        var parameters = new TokenValidationParameters { ValidIssuer = "platform", ValidateAudience = false, IssuerSigningKeys = jwks.GetSigningKeys() };
        var handler = new JsonWebTokenHandler();
        Assert.True((await handler.ValidateTokenAsync(oldToken, parameters)).IsValid);
        Assert.True((await handler.ValidateTokenAsync(newToken, parameters)).IsValid);
        Assert.Equal("new", new JsonWebToken(newToken).Kid);

        var retired = new JsonWebKeySet(Signer("Production", new LicenseSigningKey { Kid = "new", Pem = NewKey }).Jwks().ToJsonString());
        Assert.False((await handler.ValidateTokenAsync(oldToken, new TokenValidationParameters
        {
            ValidIssuer = "platform",
            ValidateAudience = false,
            IssuerSigningKeys = retired.GetSigningKeys(),
        })).IsValid);
    }

    [Fact]
    public void Create_WithoutKeysOutsideDevelopment_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Signer("Production"));

    [Fact]
    public void Create_WithoutKeysInDevelopment_UsesAnEphemeralKey()
    {
        using var signer = Signer("Development");
        Assert.Single(signer.Jwks()["keys"]!.AsArray());
    }

    [Fact]
    public void Jwks_NeverCarriesThePrivateKey()
    {
        using var signer = Signer("Production", new LicenseSigningKey { Kid = "k", Pem = NewKey });
        Assert.Null(signer.Jwks()["keys"]![0]!["d"]);
    }
}
