using Npgsql;
using NpgsqlTypes;

namespace Platform.Grains.DataProtection;

/// <summary>Rows of platform_data_keys: each subject's data key, wrapped by a configured key.</summary>
public sealed class DataKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>The stored row of a scope: absent (null), shredded (Wrapped null) or live.</summary>
    public async Task<StoredDataKey?> GetAsync(string scope, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT kek_id, wrapped FROM platform_data_keys WHERE scope = $1");
        command.Parameters.AddWithValue(scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredDataKey(scope, reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>Inserts a new wrapped key unless the scope already has a row; returns the row that won.</summary>
    public async Task<StoredDataKey> AddAsync(string scope, string kekId, string wrapped, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using (var command = dataSource.CreateCommand(
            "INSERT INTO platform_data_keys (scope, kek_id, wrapped, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (scope) DO NOTHING"))
        {
            command.Parameters.AddWithValue(scope);
            command.Parameters.AddWithValue(kekId);
            command.Parameters.AddWithValue(wrapped);
            command.Parameters.AddWithValue(now.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        // Two activations racing (or a retried call) agree on whichever row was written first.
        return await GetAsync(scope, cancellationToken) ?? throw new InvalidOperationException($"Data key {scope} vanished after insert.");
    }

    /// <summary>Destroys a scope's key for good (idempotent); a later create for the scope finds it shredded.</summary>
    public async Task ShredAsync(string scope, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO platform_data_keys (scope, kek_id, wrapped, created_at, shredded_at) VALUES ($1, NULL, NULL, $2, $2)
            ON CONFLICT (scope) DO UPDATE SET kek_id = NULL, wrapped = NULL,
              shredded_at = coalesce(platform_data_keys.shredded_at, excluded.shredded_at)
            """);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(now.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> live rows not wrapped by <paramref name="currentKekId"/>.</summary>
    public async Task<IReadOnlyList<StoredDataKey>> StaleAsync(string currentKekId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT scope, kek_id, wrapped FROM platform_data_keys WHERE kek_id IS NOT NULL AND kek_id <> $1 ORDER BY scope LIMIT $2");
        command.Parameters.AddWithValue(currentKekId);
        command.Parameters.AddWithValue(limit);
        var rows = new List<StoredDataKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredDataKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    /// <summary>Replaces a wrapping only if the row is still as read (a shred in between wins).</summary>
    public async Task<bool> RewrapAsync(StoredDataKey old, string kekId, string wrapped, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE platform_data_keys SET kek_id = $2, wrapped = $3 WHERE scope = $1 AND wrapped = $4");
        command.Parameters.AddWithValue(old.Scope);
        command.Parameters.AddWithValue(kekId);
        command.Parameters.AddWithValue(wrapped);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)old.Wrapped ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Live keys per wrapping key id, and the shredded count (key "").</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByKekAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(kek_id, ''), count(*) FROM platform_data_keys GROUP BY 1");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}
