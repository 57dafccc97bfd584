using Npgsql;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>One metric's aggregates over the whole usage log of a customer, computed by SQL alone.</summary>
public sealed record LogAggregate(long Count, decimal Sum, decimal Max, decimal Latest, long Rows)
{
    public static async Task<LogAggregate> ReadAsync(string connectionString, string tenantId, string customerId, string metric)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*), coalesce(sum(quantity), 0), coalesce(max(quantity), 0),
                   coalesce((SELECT quantity FROM usage_events WHERE tenant_id = $1 AND customer_id = $2 AND metric = $3 ORDER BY ts DESC, seq DESC LIMIT 1), 0),
                   (SELECT count(*) FROM usage_events WHERE tenant_id = $1)
            FROM usage_events WHERE tenant_id = $1 AND customer_id = $2 AND metric = $3
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(metric);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new LogAggregate(reader.GetInt64(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3), reader.GetInt64(4));
    }
}
