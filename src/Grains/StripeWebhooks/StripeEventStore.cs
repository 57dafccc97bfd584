using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>Rows of platform_webhook_events: the received Stripe events, their processing state and retries.</summary>
public sealed class StripeEventStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "data::text, status, outcome, attempts, last_error, received_at, processed_at, next_attempt_at";

    /// <summary>Records a new event as pending; false when its id was recorded before (a repeat delivery).</summary>
    public async Task<bool> InsertAsync(StripeEventData stripeEvent, DateTimeOffset received, DateTimeOffset firstRetry,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO platform_webhook_events (id, type, created_at, livemode, data, status, received_at, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, 1, $6, $7)
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.AddWithValue(stripeEvent.Id);
        command.Parameters.AddWithValue(stripeEvent.Type);
        command.Parameters.AddWithValue(DateTimeOffset.FromUnixTimeSeconds(stripeEvent.Created).UtcDateTime);
        command.Parameters.AddWithValue(stripeEvent.Livemode);
        command.Parameters.Add(new NpgsqlParameter { Value = StripeEventJson.Serialize(stripeEvent), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue(received.UtcDateTime);
        command.Parameters.AddWithValue(firstRetry.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task MarkProcessedAsync(string eventId, StripeEventOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE platform_webhook_events
            SET status = 2, outcome = $2, attempts = attempts + 1, last_error = NULL, processed_at = $3, next_attempt_at = NULL
            WHERE id = $1
            """);
        command.Parameters.AddWithValue(eventId);
        command.Parameters.AddWithValue((short)outcome);
        command.Parameters.AddWithValue(now.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Counts a failed attempt: pending again with the next retry time, or failed past the limit. Returns the new status.</summary>
    public async Task<StripeWebhookEventStatus> MarkAttemptFailedAsync(string eventId, string error, int maxAttempts,
        Func<int, TimeSpan> retryDelay, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var read = dataSource.CreateCommand("SELECT attempts FROM platform_webhook_events WHERE id = $1");
        read.Parameters.AddWithValue(eventId);
        var attempts = (int)(await read.ExecuteScalarAsync(cancellationToken) ?? 0) + 1;
        var failed = attempts >= maxAttempts;
        await using var command = dataSource.CreateCommand(
            """
            UPDATE platform_webhook_events
            SET status = $2, attempts = $3, last_error = $4, next_attempt_at = $5
            WHERE id = $1 AND status <> 2
            """);
        command.Parameters.AddWithValue(eventId);
        command.Parameters.AddWithValue((short)(failed ? StripeWebhookEventStatus.Failed : StripeWebhookEventStatus.Pending));
        command.Parameters.AddWithValue(attempts);
        command.Parameters.AddWithValue(error.Length <= 500 ? error : error[..500]);
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = failed ? DBNull.Value : (now + retryDelay(attempts)).UtcDateTime,
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return failed ? StripeWebhookEventStatus.Failed : StripeWebhookEventStatus.Pending;
    }

    public async Task<StripeWebhookEventSnapshot?> GetAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM platform_webhook_events WHERE id = $1");
        command.Parameters.AddWithValue(eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Newest first, below the cursor event; one more than the limit is read to learn has_more.</summary>
    public async Task<Page<StripeWebhookEventSnapshot>> PageAsync(StripeWebhookEventStatus? status, PageRequest page,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM platform_webhook_events
            WHERE ($1::smallint IS NULL OR status = $1)
              AND ($2::text IS NULL OR seq < (SELECT seq FROM platform_webhook_events WHERE id = $2))
            ORDER BY seq DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = status is { } s ? (short)s : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)page.StartingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(page.Limit + 1);
        var events = new List<StripeWebhookEventSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }
        var hasMore = events.Count > page.Limit;
        if (hasMore)
        {
            events.RemoveAt(events.Count - 1);
        }
        return new Page<StripeWebhookEventSnapshot>(events, hasMore);
    }

    /// <summary>Pending events whose retry is due, oldest due first.</summary>
    public async Task<IReadOnlyList<StripeEventData>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT data::text FROM platform_webhook_events
            WHERE status = 1 AND next_attempt_at <= $1
            ORDER BY next_attempt_at LIMIT $2
            """);
        command.Parameters.AddWithValue(now.UtcDateTime);
        command.Parameters.AddWithValue(limit);
        var due = new List<StripeEventData>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(StripeEventJson.Deserialize(reader.GetString(0)));
        }
        return due;
    }

    /// <summary>Deletes at most <paramref name="limit"/> events received before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM platform_webhook_events
            WHERE id IN (SELECT id FROM platform_webhook_events WHERE received_at < $1 ORDER BY received_at LIMIT $2)
            """);
        command.Parameters.AddWithValue(before.UtcDateTime);
        command.Parameters.AddWithValue(limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static StripeWebhookEventSnapshot Read(NpgsqlDataReader reader) => new(
        StripeEventJson.Deserialize(reader.GetString(0)),
        (StripeWebhookEventStatus)reader.GetInt16(1),
        reader.IsDBNull(2) ? null : (StripeEventOutcome)reader.GetInt16(2),
        reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
        reader.IsDBNull(6) ? null : new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero),
        reader.IsDBNull(7) ? null : new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero));
}
