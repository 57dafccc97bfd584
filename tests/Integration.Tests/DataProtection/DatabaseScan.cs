using System.Text;
using Npgsql;

namespace Platform.Integration.Tests.DataProtection;

/// <summary>
/// Reads every row of every table in the database as stored (bytea decoded as UTF-8, so grain state
/// payloads are searched too) and reports which tables contain which of the given strings.
/// </summary>
public static class DatabaseScan
{
    public static async Task<IReadOnlyList<string>> FindAsync(string connectionString, IReadOnlyCollection<string> needles, params string[] exceptTables)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var tables = new List<string>();
        await using (var list = dataSource.CreateCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var hits = new List<string>();
        foreach (var table in tables.Where(t => !exceptTables.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            await using var command = dataSource.CreateCommand($"SELECT * FROM \"{table}\"");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        continue;
                    }
                    var text = reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    hits.AddRange(needles.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"{table}.{reader.GetName(i)}: {n}"));
                }
            }
        }
        return hits.Distinct().ToList();
    }

    /// <summary>The stored grain state payloads (UTF-8) whose text contains <paramref name="marker"/>.</summary>
    public static async Task<IReadOnlyList<string>> GrainStatesContainingAsync(string connectionString, string marker)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT PayloadBinary FROM OrleansStorage WHERE PayloadBinary IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync())
        {
            var text = Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0));
            if (text.Contains(marker, StringComparison.Ordinal))
            {
                states.Add(text);
            }
        }
        return states;
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
