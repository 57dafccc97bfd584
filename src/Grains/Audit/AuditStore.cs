using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Audit;

/// <summary>Rows of platform_audit_log; only AuditLogGrain (a chain's one writer) and AuditExportGrain (reads by time) call this.</summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "chain, seq, id, occurred_at, actor, action, subject, request_id, ip, details, prev_hash, hash";

    public async Task<(long Sequence, string Hash)> LastAsync(string chain, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT seq, hash FROM platform_audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1");
        command.Parameters.AddWithValue(chain);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditHash.Genesis);
    }

    public async Task InsertAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO platform_audit_log ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
        command.Parameters.AddWithValue(entry.Chain);
        command.Parameters.AddWithValue(entry.Sequence);
        command.Parameters.AddWithValue(entry.Id);
        command.Parameters.AddWithValue(entry.Occurred.UtcDateTime);
        command.Parameters.AddWithValue(entry.Actor);
        command.Parameters.AddWithValue(entry.Action);
        command.Parameters.AddWithValue(entry.Subject);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.RequestId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Ip ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(entry.Details), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue(entry.PreviousHash);
        command.Parameters.AddWithValue(entry.Hash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest first, below the cursor entry's sequence.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, bool HasMore)> PageAsync(
        string chain, int limit, string? startingAfter, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM platform_audit_log
            WHERE chain = $1 AND ($2::text IS NULL OR seq < (SELECT seq FROM platform_audit_log WHERE chain = $1 AND id = $2))
            ORDER BY seq DESC LIMIT $3
            """);
        command.Parameters.AddWithValue(chain);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)startingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit + 1);
        var page = await PageReader.ReadAsync(command, limit, Read, cancellationToken);
        if (page.Items.Count == 0 && startingAfter is not null)
        {
            await using var exists = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM platform_audit_log WHERE chain = $1 AND id = $2)");
            exists.Parameters.AddWithValue(chain);
            exists.Parameters.AddWithValue(startingAfter);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                throw UnknownCursor.Of();
            }
        }
        return (page.Items, page.HasMore);
    }

    /// <summary>
    /// Entries that occurred in [<paramref name="since"/>, <paramref name="until"/>), of one chain or all, oldest
    /// first (time, then chain and sequence), after the cursor entry.
    /// </summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, bool HasMore)> WindowAsync(
        string? chain, DateTimeOffset since, DateTimeOffset until, int limit, string? startingAfter, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM platform_audit_log
            WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR chain = $3)
              AND ($4::text IS NULL OR (occurred_at, chain, seq) > (SELECT occurred_at, chain, seq FROM platform_audit_log WHERE id = $4))
            ORDER BY occurred_at, chain, seq LIMIT $5
            """);
        command.Parameters.AddWithValue(since.UtcDateTime);
        command.Parameters.AddWithValue(until.UtcDateTime);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)chain ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)startingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit + 1);
        var page = await PageReader.ReadAsync(command, limit, Read, cancellationToken);
        if (startingAfter is not null && page.Items.Count == 0)
        {
            await using var exists = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM platform_audit_log WHERE id = $1)");
            exists.Parameters.AddWithValue(startingAfter);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                throw UnknownCursor.Of();
            }
        }
        return (page.Items, page.HasMore);
    }

    /// <summary>Entries about one resource, newest first: its subject, or its id in the <c>customer</c> detail (a customer's keys).</summary>
    public async Task<IReadOnlyList<AuditEntry>> AboutAsync(string chain, string resourceId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM platform_audit_log WHERE chain = $1 AND (subject = $2 OR details ->> 'customer' = $2) ORDER BY seq DESC LIMIT $3");
        command.Parameters.AddWithValue(chain);
        command.Parameters.AddWithValue(resourceId);
        command.Parameters.AddWithValue(limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }
        return entries;
    }

    /// <summary>The whole chain in order, streamed: verification never holds it all in memory.</summary>
    public async IAsyncEnumerable<AuditEntry> ReadChainAsync(string chain, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM platform_audit_log WHERE chain = $1 ORDER BY seq");
        command.Parameters.AddWithValue(chain);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    private static AuditEntry Read(NpgsqlDataReader reader) => new(
        Chain: reader.GetString(0),
        Sequence: reader.GetInt64(1),
        Id: reader.GetString(2),
        Occurred: new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero),
        Actor: reader.GetString(4),
        Action: reader.GetString(5),
        Subject: reader.GetString(6),
        RequestId: reader.IsDBNull(7) ? null : reader.GetString(7),
        Ip: reader.IsDBNull(8) ? null : reader.GetString(8),
        Details: JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9)) ?? [],
        PreviousHash: reader.GetString(10),
        Hash: reader.GetString(11));
}
