using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Auth;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// API hosts answer known credentials from their cache; a revocation made through one host is pushed to
/// every host before the revoking call returns, so the very next request on another host is refused.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CredentialCacheTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task RevokedTenantKey_IsRefusedAtOnce_ByAnotherHostThatHadItCached()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var onSecond = Cluster.Client(tenant.Secret, index: 1);
        await WarmAsync(onSecond, "/v1/customers", tenant.Secret, apiIndex: 1);

        using var admin = Cluster.AdminClient(index: 0);
        (await admin.DeleteAsync($"/v1/tenants/{tenant.Id}/api_keys/{tenant.KeyId}")).EnsureSuccessStatusCode();

        Assert.False(Cache(1).TryGet(CredentialDigest.Of(tenant.Secret), out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await onSecond.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Cluster.Client(tenant.Secret, index: 0).GetAsync("/v1/customers")).StatusCode);
        Assert.DoesNotContain(Cluster.Logs.Lines, line => line.Contains(tenant.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokedCustomerKey_IsRefusedAtOnce_ByAnotherHostThatHadItCached()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(tenant.Secret, index: 0);
        var customer = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Cached" }))).GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{customer}/api_keys", null));
        var secret = key.GetProperty("secret").GetString()!;
        using var instance = Cluster.Client(index: 1);
        instance.DefaultRequestHeaders.Add(CredentialSelector.CustomerKeyHeader, secret);
        await WarmAsync(instance, $"/v1/customers/{customer}", secret, apiIndex: 1);

        (await backend.DeleteAsync($"/v1/customers/{customer}/api_keys/{key.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await instance.GetAsync($"/v1/customers/{customer}")).StatusCode);
        Assert.DoesNotContain(Cluster.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErasedCustomer_KeysAreRefusedAtOnce_ByAnotherHostThatHadThemCached()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(tenant.Secret, index: 0);
        var customer = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Erased" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{customer}/api_keys", null))).GetProperty("secret").GetString()!;
        using var instance = Cluster.Client(index: 1);
        instance.DefaultRequestHeaders.Add(CredentialSelector.CustomerKeyHeader, secret);
        await WarmAsync(instance, $"/v1/customers/{customer}", secret, apiIndex: 1);

        (await backend.PostAsync($"/v1/customers/{customer}/erase", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await instance.GetAsync($"/v1/customers/{customer}")).StatusCode);
    }

    [Fact]
    public async Task WrongSecretForACachedKeyId_IsRefused()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var right = Cluster.Client(tenant.Secret, index: 1);
        await WarmAsync(right, "/v1/customers", tenant.Secret, apiIndex: 1);
        var forged = tenant.Secret[..^4] + (tenant.Secret.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var wrong = Cluster.Client(forged, index: 1);

        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/v1/customers")).StatusCode);
    }

    private Platform.Api.Auth.CredentialCache Cache(int apiIndex) => Cluster.Apis[apiIndex].Services.GetRequiredService<Platform.Api.Auth.CredentialCache>();

    /// <summary>Requests until the host answers the credential from its cache (its revocation feed may still be
    /// subscribing right after start-up), so the revocation that follows has a cached entry to remove.</summary>
    private async Task WarmAsync(HttpClient client, string path, string secret, int apiIndex)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Cache(apiIndex).TryGet(CredentialDigest.Of(secret), out _))
        {
            Assert.True(DateTime.UtcNow < deadline, "the host never cached the credential");
            (await client.GetAsync(path)).EnsureSuccessStatusCode();
            if (!Cache(apiIndex).TryGet(CredentialDigest.Of(secret), out _))
            {
                await Task.Delay(200);
            }
        }
        (await client.GetAsync(path)).EnsureSuccessStatusCode();
    }
}
