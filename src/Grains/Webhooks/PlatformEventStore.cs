using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>Rows of platform_events; only TenantEventsGrain writes them (and WebhookEndpointGrain reads its events' bodies).</summary>
public sealed class PlatformEventStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, type, created_at, data::text";

    /// <summary>Idempotent by event id: publishing again keeps the first row.</summary>
    public async Task InsertAsync(string tenantId, PlatformEvent platformEvent, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO platform_events (id, tenant_id, type, created_at, data)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.AddWithValue(platformEvent.Id);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(platformEvent.Type);
        command.Parameters.AddWithValue(platformEvent.Created.UtcDateTime);
        command.Parameters.Add(new NpgsqlParameter { Value = platformEvent.DataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PlatformEvent?> GetAsync(string tenantId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM platform_events WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Newest first, below the cursor event; one more than the limit is read to learn has_more.</summary>
    public async Task<Page<PlatformEvent>> PageAsync(string tenantId, string? type, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM platform_events
            WHERE tenant_id = $1 AND ($2::text IS NULL OR type = $2)
              AND ($3::text IS NULL OR seq < (SELECT seq FROM platform_events WHERE tenant_id = $1 AND id = $3))
            ORDER BY seq DESC LIMIT $4
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)page.StartingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(page.Limit + 1);
        var found = await PageReader.ReadAsync(command, page.Limit, Read, cancellationToken);
        return await found.RequireKnownCursorAsync(dataSource, page.StartingAfter,
            "SELECT EXISTS (SELECT 1 FROM platform_events WHERE tenant_id = $1 AND id = $2)", [tenantId, page.StartingAfter!], cancellationToken);
    }

    /// <summary>Deletes the tenant's events created before <paramref name="before"/>; their deliveries go with them (ON DELETE CASCADE).</summary>
    public async Task<int> PurgeAsync(string tenantId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM platform_events WHERE tenant_id = $1 AND created_at < $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(before.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static PlatformEvent Read(NpgsqlDataReader reader) => new(
        Id: reader.GetString(0),
        Type: reader.GetString(1),
        Created: new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
        DataJson: reader.GetString(3));
}
