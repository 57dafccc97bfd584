using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Tenants;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Grains;

/// <summary>Tenant and API key grains on the Orleans TestingHost, with the clock under the test's control.</summary>
public sealed class TenantGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("grains");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(PlatformStorage.Name));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<TimeProvider>(_clock);
            host.Services.AddPlatformGrainServices(connectionString);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task IssueVerifyRevoke_FollowsTheKeyLifecycle()
    {
        var tenantId = PlatformIds.NewTenantId();
        var tenant = _cluster.Client.GetGrain<ITenantGrain>(tenantId);
        var created = await tenant.CreateAsync(new TenantDraft("Acme", new Dictionary<string, string>(), "fp"));
        Assert.Equal(Start, created.Created);

        var issued = await tenant.IssueApiKeyAsync(ApiKeyRole.Finance);
        var key = _cluster.Client.GetGrain<IApiKeyGrain>(issued.Key.Id);
        Assert.Equal(new ApiKeyPrincipal(issued.Key.Id, tenantId, ApiKeyRole.Finance), await key.VerifyAsync(issued.Secret));
        Assert.Null(await key.VerifyAsync(issued.Secret[..^1] + (issued.Secret[^1] == 'a' ? 'b' : 'a')));

        _clock.Advance(TimeSpan.FromHours(2));
        var revoked = await tenant.RevokeApiKeyAsync(issued.Key.Id);

        Assert.Equal(Start.AddHours(2), revoked!.Revoked);
        Assert.Null(await key.VerifyAsync(issued.Secret));
        Assert.Equal(Start.AddHours(2), (await tenant.ListApiKeysAsync()).Single().Revoked);
    }

    [Fact]
    public async Task Create_Twice_SameFingerprintReturnsFirst_OtherFingerprintConflicts()
    {
        var tenant = _cluster.Client.GetGrain<ITenantGrain>(PlatformIds.NewTenantId());
        var first = await tenant.CreateAsync(new TenantDraft("One", new Dictionary<string, string>(), "fp-1"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var again = await tenant.CreateAsync(new TenantDraft("One", new Dictionary<string, string>(), "fp-1"));
        var conflict = await Assert.ThrowsAsync<PlatformException>(() =>
            tenant.CreateAsync(new TenantDraft("Two", new Dictionary<string, string>(), "fp-2")));

        Assert.Equal((first.Id, first.Name, first.Created), (again.Id, again.Name, again.Created));
        Assert.Equal(PlatformErrorKind.Conflict, conflict.Kind);
        Assert.Equal("idempotency_key_in_use", conflict.Code);
    }

    [Fact]
    public async Task IssueApiKey_ForMissingTenant_IsNotFound()
    {
        var tenant = _cluster.Client.GetGrain<ITenantGrain>(PlatformIds.NewTenantId());
        var refusal = await Assert.ThrowsAsync<PlatformException>(() => tenant.IssueApiKeyAsync(ApiKeyRole.Read));
        Assert.Equal(PlatformErrorKind.NotFound, refusal.Kind);
    }

    [Fact]
    public async Task ApiKey_IsIssuedOnlyOnce()
    {
        var key = _cluster.Client.GetGrain<IApiKeyGrain>(PlatformIds.NewApiKeyId());
        await key.IssueAsync("ten_x", ApiKeyRole.Read, "sk_a_b", Start);
        await Assert.ThrowsAsync<InvalidOperationException>(() => key.IssueAsync("ten_y", ApiKeyRole.Admin, "sk_a_c", Start));
        Assert.Equal("ten_x", (await key.VerifyAsync("sk_a_b"))!.TenantId);
    }
}
