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
}
