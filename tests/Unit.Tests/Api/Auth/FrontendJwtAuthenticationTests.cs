using Microsoft.Extensions.Configuration;
using Platform.Api.Hosting;

namespace Platform.Unit.Tests.Api.Auth;

/// <summary>Issue 25 item 6: in Production the API does not start with frontend JWTs that need no issuer or audience.</summary>
public sealed class FrontendJwtAuthenticationTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("https://auth.example.com/", null)]
    [InlineData(null, "https://api.example.com")]
    public void Build_InProductionWithoutIssuerOrAudience_RefusesToStart(string? issuer, string? audience)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ApiHost.Build(["--environment", "Production"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Platform"] = "Host=127.0.0.1;Database=unused",
                ["Jwt:Secret"] = "a-frontend-jwt-secret-of-at-least-32-bytes",
                ["Jwt:Issuer"] = issuer,
                ["Jwt:Audience"] = audience,
            })));

        Assert.Contains("Jwt:Issuer and Jwt:Audience", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InProductionWithIssuerAndAudience_GetsPastTheJwtCheck()
    {
        var failure = Record.Exception(() => ApiHost.Build(["--environment", "Production"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Platform"] = "Host=127.0.0.1;Database=unused",
                ["Jwt:Secret"] = "a-frontend-jwt-secret-of-at-least-32-bytes",
                ["Jwt:Issuer"] = "https://auth.example.com/",
                ["Jwt:Audience"] = "https://api.example.com",
            })));

        // It may still stop later for what a production host also needs (a license signing key), never for the JWT settings.
        Assert.DoesNotContain("Jwt:", failure?.Message ?? "", StringComparison.Ordinal);
    }
}
