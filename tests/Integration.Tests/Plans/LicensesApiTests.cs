using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Plans;

/// <summary>A license verifies offline with the published JWKS alone, and fails once tampered with or expired.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LicensesApiTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    /// <summary>Validation as a customer's instance does it; <paramref name="at"/> moves "now" for the lifetime check.</summary>
    private static TokenValidationParameters Parameters(JsonWebKeySet jwks, TimeProvider? at = null)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = "platform",
            ValidateAudience = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
        };
        if (at is not null)
        {
            parameters.LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } end && at.GetUtcNow().UtcDateTime < end && (notBefore is null || notBefore <= at.GetUtcNow().UtcDateTime);
        }
        return parameters;
    }

    [Fact]
    public async Task License_VerifiesWithTheJwksAlone_AndFailsWhenTamperedOrExpired()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Licensed" }))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/customers/{customer}/license")).StatusCode);
        var plan = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan()))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));

        var license = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/license"));
        var token = license.GetProperty("token").GetString()!;
        using var anonymous = Cluster.Client(index: 1);
        var jwks = new JsonWebKeySet(await anonymous.GetStringAsync("/.well-known/jwks.json"));
        Assert.Contains(jwks.Keys, k => k.Kid == "test-key-1" && k.Kty == "EC" && k.D is null);

        var handler = new JsonWebTokenHandler();
        var valid = await handler.ValidateTokenAsync(token, Parameters(jwks));
        Assert.True(valid.IsValid, valid.Exception?.Message);
        Assert.Equal(customer, valid.Claims["sub"]);
        Assert.Equal(plan, valid.Claims["plan"]);
        Assert.Equal("trialing", valid.Claims["status"]);
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;
        Assert.Equal(5, payload.GetProperty("entitlements").GetProperty("seats").GetInt64());
        Assert.True(payload.GetProperty("entitlements").GetProperty("sso").GetBoolean());
        Assert.Equal(license.GetProperty("expires").GetInt64(), payload.GetProperty("exp").GetInt64());

        // Tampered: more seats, same signature.
        var raised = Base64UrlEncoder.Encode(payload.GetRawText().Replace("\"seats\":5", "\"seats\":500", StringComparison.Ordinal));
        var parts = token.Split('.');
        Assert.False((await handler.ValidateTokenAsync($"{parts[0]}.{raised}.{parts[2]}", Parameters(jwks))).IsValid);

        var afterExpiry = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64()).AddSeconds(1));
        var expired = await handler.ValidateTokenAsync(token, Parameters(jwks, afterExpiry));
        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenInvalidLifetimeException>(expired.Exception);
        var beforeExpiry = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64()).AddSeconds(-1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(jwks, beforeExpiry))).IsValid);

        var events = (await ClusterFixture.Json(await client.GetAsync("/v1/events?limit=100"))).GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "license.issued").ToList();
        Assert.Single(events);
        Assert.DoesNotContain(token, events[0].GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnLicense_WithCustomerKey_IsThatCustomersOnly()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Instance" }))).GetProperty("id").GetString()!;
        var plan = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan()))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        var secret = (await ClusterFixture.Json(await client.PostAsync($"/v1/customers/{customer}/api_keys", null))).GetProperty("secret").GetString()!;
        using var instance = Cluster.Client();
        instance.DefaultRequestHeaders.Add("X-API-Key", secret);

        var own = await ClusterFixture.Json(await instance.GetAsync("/v1/license"));
        Assert.Equal(customer, own.GetProperty("customer").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/license")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await instance.GetAsync($"/v1/customers/{customer}/license")).StatusCode);
    }
}
