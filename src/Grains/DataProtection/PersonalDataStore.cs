using Npgsql;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.DataProtection;

/// <summary>The SQL of exports and erasures over tables that hold a customer's data outside its grains.</summary>
public sealed class PersonalDataStore(NpgsqlDataSource dataSource)
{
    /// <summary>Events whose object is the customer or names it as <c>customer</c>, newest first.</summary>
    public async Task<IReadOnlyList<PlatformEvent>> EventsAboutAsync(string tenantId, string customerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, type, created_at, data::text FROM platform_events
            WHERE tenant_id = $1 AND (data ->> 'id' = $2 OR data ->> 'customer' = $2)
            ORDER BY seq DESC LIMIT $3
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(limit);
        var events = new List<PlatformEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new PlatformEvent(reader.GetString(0), reader.GetString(1), new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero), reader.GetString(3)));
        }
        return events;
    }

    /// <summary>
    /// Blanks the personal fields of the customer's own events (<c>data.object</c> a customer): the event
    /// ids, types and times stay, so delivery history still adds up. Idempotent; returns rows changed.
    /// </summary>
    public async Task<int> AnonymizeEventsAsync(string tenantId, string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE platform_events
            SET data = data || jsonb_build_object('email', null, 'name', null, 'description', null, 'metadata', '{}'::jsonb, 'status', 'erased')
            WHERE tenant_id = $1 AND data ->> 'object' = 'customer' AND data ->> 'id' = $2
              AND data ->> 'status' IS DISTINCT FROM 'erased'
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces every usage property value of the customer by a salted SHA-256 pseudonym (<c>erased_…</c>).
    /// Quantities, metrics and times stay, so sums, counts, maxima and latest values are unchanged; equal
    /// values map to equal pseudonyms and distinct ones to distinct pseudonyms, so unique counts are too.
    /// One statement: all rows change together. The salt is random per erasure and discarded after it.
    /// </summary>
    public async Task<int> PseudonymizeUsageAsync(string tenantId, string customerId, string salt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE usage_events e
            SET properties = (
              SELECT jsonb_object_agg(p.key, 'erased_' || left(encode(sha256(convert_to($3 || p.key || chr(31) || p.value, 'UTF8')), 'hex'), 32))
              FROM jsonb_each_text(e.properties) p)
            WHERE e.tenant_id = $1 AND e.customer_id = $2 AND e.properties IS NOT NULL AND e.properties <> '{}'::jsonb
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(salt);
        command.CommandTimeout = 300;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
