using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Silo;

public sealed class DatabaseMigratorTests
{
    [Fact]
    public async Task Migrate_OnAFreshDatabase_AppliesEveryScriptOnce_ThenNothing()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("migrate");
        var migrator = new DatabaseMigrator(connectionString, NullLogger.Instance);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(DatabaseMigrator.Scripts().Select(s => s.Name), first);
        Assert.Empty(second);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }
        // The keys the three providers look up (clustering, storage, reminders); a missing one fails at run time.
        Assert.Subset(new HashSet<string>(keys), new HashSet<string>(
        [
            "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
            "CleanupDefunctSiloEntriesKey", "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
            "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ]));
    }

    [Fact]
    public async Task Migrate_FromSeveralSilosAtOnce_AppliesEachScriptExactlyOnce()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("migrate");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync()));

        var applied = results.SelectMany(r => r).ToList();
        Assert.Equal(DatabaseMigrator.Scripts().Count(), applied.Count);
        Assert.Equal(applied.Count, applied.Distinct().Count());
    }
}
