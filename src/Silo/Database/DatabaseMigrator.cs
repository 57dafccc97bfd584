using System.Reflection;
using System.Security.Cryptography;
using Npgsql;

namespace Platform.Silo.Database;

/// <summary>
/// Applies the embedded SQL scripts (Orleans' ADO.NET schema, then the platform's tables) in name order,
/// each once, each in its own transaction (a failed script leaves no trace and is retried next start).
/// An advisory lock makes silos that start together take turns, so the first applies and the rest find
/// nothing to do.
/// </summary>
public sealed class DatabaseMigrator(string connectionString, ILogger logger)
{
    private const string ResourcePrefix = "Platform.Silo.Database.Sql.";
    private const long AdvisoryLockKey = 0x504C_4154_464F_524D; // "PLATFORM"

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // A session lock for the whole run: silos starting together queue here, and the first one
        // applies everything before the others look. Unlocked explicitly: a pooled connection would keep it.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken, timeoutSeconds: 300);
        try
        {
            await ApplyPendingAsync(connection, applied, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
        return applied;
    }

    private async Task ApplyPendingAsync(NpgsqlConnection connection, List<string> applied, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null,
            """
            CREATE TABLE IF NOT EXISTS platform_schema_migrations (
              name       text PRIMARY KEY,
              sha256     text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        foreach (var (name, sql) in Scripts())
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var check = new NpgsqlCommand("SELECT 1 FROM platform_schema_migrations WHERE name = $1", connection, transaction))
            {
                check.Parameters.AddWithValue(name);
                if (await check.ExecuteScalarAsync(cancellationToken) is not null)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }
            }
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using (var record = new NpgsqlCommand("INSERT INTO platform_schema_migrations (name, sha256) VALUES ($1, $2)", connection, transaction))
            {
                record.Parameters.AddWithValue(name);
                record.Parameters.AddWithValue(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql))));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied database migration {Migration}", name);
            applied.Add(name);
        }
    }

    public static IEnumerable<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            yield return (resource[ResourcePrefix.Length..], ReadResource(assembly, resource));
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, int timeoutSeconds = 120)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
