using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>
/// platform_webhook_deliveries: each endpoint's durable queue and delivery history. Only the endpoint's
/// own grain writes its rows (TenantEventsGrain only looks up which endpoint a delivery belongs to).
/// </summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource dataSource)
{
    private const string SnapshotColumns = "d.id, d.endpoint_id, d.event_id, e.type, d.status, d.attempts::text, d.next_attempt_at, d.created_at";

    /// <summary>Queues the event for the endpoint once: a second enqueue of the same event is a no-op.</summary>
    public async Task EnqueueAsync(string tenantId, string endpointId, string eventId, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO platform_webhook_deliveries (id, tenant_id, endpoint_id, event_id, status, max_attempts, next_attempt_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            """);
        command.Parameters.AddWithValue(PlatformIds.NewWebhookDeliveryId());
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.AddWithValue(eventId);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Pending);
        command.Parameters.AddWithValue(maxAttempts);
        command.Parameters.AddWithValue(now.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Due deliveries in queue order (the order events were published), with their events.</summary>
    public async Task<IReadOnlyList<DueDelivery>> DueAsync(string tenantId, string endpointId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT d.id, d.attempt_count, d.max_attempts, e.id, e.type, e.created_at, e.data::text
            FROM platform_webhook_deliveries d JOIN platform_events e ON e.id = d.event_id
            WHERE d.tenant_id = $1 AND d.endpoint_id = $2 AND d.status = $3 AND d.next_attempt_at <= $4
            ORDER BY d.seq LIMIT $5
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Pending);
        command.Parameters.AddWithValue(now.UtcDateTime);
        command.Parameters.AddWithValue(limit);
        var due = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueDelivery(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), new PlatformEvent(
                reader.GetString(3), reader.GetString(4), new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero), reader.GetString(6))));
        }
        return due;
    }

    /// <summary>The earliest next attempt among pending deliveries, and how many are pending.</summary>
    public async Task<(DateTimeOffset? NextAttempt, int Pending)> PendingAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT min(next_attempt_at), count(*)::int FROM platform_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND status = $3");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Pending);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.IsDBNull(0) ? null : new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetInt32(1));
    }

    /// <summary>Appends an attempt and moves the delivery to <paramref name="status"/> (pending with a next attempt, or final).</summary>
    public async Task RecordAttemptAsync(string deliveryId, WebhookAttempt attempt, WebhookDeliveryStatus status, DateTimeOffset? nextAttempt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE platform_webhook_deliveries
            SET attempts = attempts || $2, attempt_count = attempt_count + 1, status = $3, next_attempt_at = $4
            WHERE id = $1
            """);
        command.Parameters.AddWithValue(deliveryId);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new[] { ToJson(attempt) }), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue((short)status);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)nextAttempt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A failed delivery gets one more attempt, due now. False when it is not failed (pending or succeeded).</summary>
    public async Task<bool> RequeueAsync(string tenantId, string endpointId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE platform_webhook_deliveries SET status = $4, max_attempts = attempt_count + 1, next_attempt_at = $5
            WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3 AND status = $6
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.AddWithValue(deliveryId);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Pending);
        command.Parameters.AddWithValue(now.UtcDateTime);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Failed);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Ends every pending delivery of an endpoint as failed (the endpoint was deleted).</summary>
    public async Task AbandonPendingAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE platform_webhook_deliveries SET status = $3, next_attempt_at = NULL WHERE tenant_id = $1 AND endpoint_id = $2 AND status = $4");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Failed);
        command.Parameters.AddWithValue((short)WebhookDeliveryStatus.Pending);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The endpoint a tenant's delivery belongs to, or null.</summary>
    public async Task<string?> EndpointOfAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT endpoint_id FROM platform_webhook_deliveries WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(deliveryId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<WebhookDeliverySnapshot?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SnapshotColumns} FROM platform_webhook_deliveries d JOIN platform_events e ON e.id = d.event_id WHERE d.tenant_id = $1 AND d.id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(deliveryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSnapshot(reader) : null;
    }

    /// <summary>An endpoint's deliveries newest first, optionally in one status.</summary>
    public async Task<Page<WebhookDeliverySnapshot>> PageAsync(
        string tenantId, string endpointId, WebhookDeliveryStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {SnapshotColumns}
            FROM platform_webhook_deliveries d JOIN platform_events e ON e.id = d.event_id
            WHERE d.tenant_id = $1 AND d.endpoint_id = $2 AND ($3::smallint IS NULL OR d.status = $3)
              AND ($4::text IS NULL OR d.seq < (SELECT seq FROM platform_webhook_deliveries WHERE tenant_id = $1 AND id = $4))
            ORDER BY d.seq DESC LIMIT $5
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.Add(new NpgsqlParameter { Value = status is { } s ? (short)s : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)page.StartingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(page.Limit + 1);
        var found = await PageReader.ReadAsync(command, page.Limit, ReadSnapshot, cancellationToken);
        return await found.RequireKnownCursorAsync(dataSource, page.StartingAfter,
            "SELECT EXISTS (SELECT 1 FROM platform_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3)",
            [tenantId, endpointId, page.StartingAfter!], cancellationToken);
    }

    private static WebhookDeliverySnapshot ReadSnapshot(NpgsqlDataReader reader) => new(
        Id: reader.GetString(0),
        EndpointId: reader.GetString(1),
        EventId: reader.GetString(2),
        EventType: reader.GetString(3),
        Status: (WebhookDeliveryStatus)reader.GetInt16(4),
        Attempts: (JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(reader.GetString(5)) ?? []).Select(FromJson).ToArray(),
        NextAttempt: reader.IsDBNull(6) ? null : new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero),
        Created: new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero));

    private static Dictionary<string, object?> ToJson(WebhookAttempt attempt) => new()
    {
        ["number"] = attempt.Number,
        ["at"] = attempt.At.ToUnixTimeMilliseconds(),
        ["status_code"] = attempt.StatusCode,
        ["latency_ms"] = attempt.LatencyMs,
        ["error"] = attempt.Error,
    };

    private static WebhookAttempt FromJson(Dictionary<string, JsonElement> json) => new(
        Number: json["number"].GetInt32(),
        At: DateTimeOffset.FromUnixTimeMilliseconds(json["at"].GetInt64()),
        StatusCode: json["status_code"].ValueKind == JsonValueKind.Number ? json["status_code"].GetInt32() : null,
        LatencyMs: json["latency_ms"].GetInt32(),
        Error: json["error"].ValueKind == JsonValueKind.String ? json["error"].GetString() : null);
}
