using Npgsql;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Common;

/// <summary>
/// The one way our stores read a Stripe-like page: the query asks for <c>limit + 1</c> rows, and the
/// extra row, when it comes, only says that there is more.
/// </summary>
public static class PageReader
{
    public static async Task<Page<T>> ReadAsync<T>(
        NpgsqlCommand command, int limit, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var items = new List<T>(Math.Min(limit + 1, 101));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(read(reader));
        }
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }
        return new Page<T>(items, hasMore);
    }

    /// <summary>
    /// Only an empty page can hide an unknown cursor (nothing is beyond nothing): then <paramref name="existsSql"/>,
    /// a <c>SELECT EXISTS</c> over the list's rows, must find it, else the cursor is refused (400 <c>resource_missing</c>).
    /// </summary>
    public static async Task<Page<T>> RequireKnownCursorAsync<T>(
        this Page<T> page, NpgsqlDataSource dataSource, string? cursor, string existsSql, object[] parameters, CancellationToken cancellationToken)
    {
        if (page.Items.Count == 0)
        {
            await RequireKnownCursorAsync(dataSource, cursor, existsSql, parameters, cancellationToken);
        }
        return page;
    }

    /// <summary>Refuses a cursor that <paramref name="existsSql"/> does not find; no cursor passes.</summary>
    public static async Task RequireKnownCursorAsync(
        NpgsqlDataSource dataSource, string? cursor, string existsSql, object[] parameters, CancellationToken cancellationToken)
    {
        if (cursor is null)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(existsSql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            throw UnknownCursor.Of();
        }
    }
}
