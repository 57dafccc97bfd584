using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Platform.Grains.Subscriptions;
using Platform.Grains.Usage;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Plans;

/// <summary>
/// A cluster whose billing clock (trial ends, period roll-overs) is a <see cref="FakeTimeProvider"/> the
/// tests move, and whose subscription reminders tick every second, so reminder-driven transitions are
/// observed in seconds. Usage forwarding to Stripe is recorded, not sent.
/// </summary>
public sealed class BillingClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public PlatformCluster Cluster { get; private set; } = null!;

    public RecordingUsageForwarder Forwarder { get; } = new();

    public async Task InitializeAsync()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("billing");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        Cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, apis: 1,
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits())
            {
                ["Silo:Reminders:MinimumReminderPeriod"] = "00:00:01",
                ["Subscriptions:ReminderPeriod"] = "00:00:01",
            },
            siloServices: services =>
            {
                services.AddKeyedSingleton<TimeProvider>(BillingClock.Key, Clock);
                services.AddSingleton<IUsageForwarder>(Forwarder);
            });
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class BillingCollection : ICollectionFixture<BillingClusterFixture>
{
    public const string Name = "billing";
}
