using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>Rows of platform_webhook_events: the received Stripe events, their processing state and retries.</summary>
public sealed class StripeEventStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "data::text, status, outcome, attempts, last_error, received_at, processed_at, next_attempt_at";

    /// <summary>
    /// Records many new events as pending in one statement (group commit, see <see cref="StripeEventWriter"/>);
    /// returns the ids that were new. Ids must be distinct.
    /// </summary>
    public async Task<HashSet<string>> InsertManyAsync(IReadOnlyList<NewStripeEvent> events, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO platform_webhook_events (id, type, created_at, livemode, data, status, received_at, next_attempt_at)
            SELECT u.id, u.type, u.created_at, u.livemode, u.data, 1, u.received_at, u.next_attempt_at
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::boolean[], $5::jsonb[], $6::timestamptz[], $7::timestamptz[])
              AS u (id, type, created_at, livemode, data, received_at, next_attempt_at)
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Event.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Event.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = events.Select(e => DateTimeOffset.FromUnixTimeSeconds(e.Event.Created).UtcDateTime).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Event.Livemode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = events.Select(e => StripeEventJson.Serialize(e.Event)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Received.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.FirstRetry.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetString(0));
        }
        return inserted;
    }

    /// <summary>Marks events processed (attempts + 1, no retry time) in one statement.</summary>
    public async Task MarkManyProcessedAsync(IReadOnlyList<ProcessedStripeEvent> events, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE platform_webhook_events AS e
            SET status = 2, outcome = u.outcome, attempts = e.attempts + 1, last_error = NULL, processed_at = u.at, next_attempt_at = NULL
            FROM unnest($1::text[], $2::smallint[], $3::timestamptz[]) AS u (id, outcome, at)
            WHERE e.id = u.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => (short)e.Outcome).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.At.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
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
        var found = await PageReader.ReadAsync(command, page.Limit, Read, cancellationToken);
        return await found.RequireKnownCursorAsync(dataSource, page.StartingAfter,
            "SELECT EXISTS (SELECT 1 FROM platform_webhook_events WHERE id = $1)", [page.StartingAfter!], cancellationToken);
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
