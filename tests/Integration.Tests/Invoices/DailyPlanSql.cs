namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// The invoice tests' daily plan priced in SQL alone from the usage log, to check the platform's figures against:
/// flat 1,500; api_calls graduated 0–100 at 10, 101–1,000 at 5, beyond at 2; rounded half away from zero.
/// Parameters: tenant, customer, period start, period end.
/// </summary>
public static class DailyPlanSql
{
    public const string ExpectedTotal =
        """
        SELECT 1500 + round(least(q, 100) * 10 + greatest(least(q, 1000) - 100, 0) * 5 + greatest(q - 1000, 0) * 2)::bigint
        FROM (SELECT coalesce(sum(quantity), 0) AS q FROM usage_events
              WHERE tenant_id = $1 AND customer_id = $2 AND metric = 'api_calls' AND ts >= $3 AND ts < $4) u
        """;
}
