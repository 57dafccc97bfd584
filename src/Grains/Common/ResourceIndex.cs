using Npgsql;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Common;

/// <summary>
/// The listing order of created resources (tenants, customers), newest first. Grains own their state;
/// this table only remembers which ids exist in a scope and in what order they were created, so lists
/// page by cursor without any grain holding an ever-growing list.
/// </summary>
public sealed class ResourceIndex(NpgsqlDataSource dataSource)
{
    /// <summary>Idempotent: adding an id twice keeps its first position.</summary>
    public async Task AddAsync(string scope, string kind, string id, DateTimeOffset created, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO platform_resource_index (scope, kind, id, created_at)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (scope, kind, id) DO NOTHING
            """);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(kind);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(created.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Ids newest first, after the <c>starting_after</c> cursor (or, with <c>ending_before</c>, the ones just
    /// newer than it); one more than the limit is read to learn has_more.
    /// </summary>
    public async Task<(IReadOnlyList<string> Ids, bool HasMore)> PageAsync(
        string scope, string kind, PageRequest request, CancellationToken cancellationToken = default)
    {
        var before = request.EndingBefore is not null;
        await using var command = dataSource.CreateCommand(before
            ? """
              SELECT id FROM platform_resource_index
              WHERE scope = $1 AND kind = $2
                AND seq > (SELECT seq FROM platform_resource_index WHERE scope = $1 AND kind = $2 AND id = $3)
              ORDER BY seq ASC
              LIMIT $4
              """
            : """
              SELECT id FROM platform_resource_index
              WHERE scope = $1 AND kind = $2
                AND ($3::text IS NULL OR seq < (SELECT seq FROM platform_resource_index WHERE scope = $1 AND kind = $2 AND id = $3))
              ORDER BY seq DESC
              LIMIT $4
              """);
        var cursor = request.EndingBefore ?? request.StartingAfter;
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(kind);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(request.Limit + 1);
        var ids = new List<string>(request.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }
        var hasMore = ids.Count > request.Limit;
        if (hasMore)
        {
            ids.RemoveAt(ids.Count - 1);
        }
        if (before)
        {
            ids.Reverse();
        }
        // Only an empty page can hide an unknown cursor (nothing is beyond nothing): check it then.
        if (ids.Count == 0 && cursor is not null && !await ContainsAsync(scope, kind, cursor, cancellationToken))
        {
            throw UnknownCursor.Of(before ? "ending_before" : "starting_after");
        }
        return (ids, hasMore);
    }

    public async Task<bool> ContainsAsync(string scope, string kind, string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM platform_resource_index WHERE scope = $1 AND kind = $2 AND id = $3)");
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(kind);
        command.Parameters.AddWithValue(id);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>The first id recorded in a scope and kind, or null: a lookup for one-to-one entries such as Stripe ids.</summary>
    public async Task<string?> FindAsync(string scope, string kind, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id FROM platform_resource_index WHERE scope = $1 AND kind = $2 ORDER BY seq LIMIT 1");
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(kind);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
