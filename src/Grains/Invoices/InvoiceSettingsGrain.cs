using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>
/// A tenant's invoice numbering settings, in the tenant's <c>invoice_numbering</c> row; finalizations take numbers
/// from the same row in their own transactions (InvoiceStore), so a prefix change applies from the next number on.
/// </summary>
public sealed class InvoiceSettingsGrain(NpgsqlDataSource dataSource, IOptions<InvoiceOptions> options) : Grain, IInvoiceSettingsGrain
{
    public async Task<InvoiceSettings> GetAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT prefix, last_number FROM invoice_numbering WHERE tenant_id = $1");
        command.Parameters.AddWithValue(this.GetPrimaryKeyString());
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new InvoiceSettings(reader.GetString(0), reader.GetInt64(1) + 1)
            : new InvoiceSettings(options.Value.DefaultNumberPrefix, 1);
    }

    public async Task<InvoiceSettings> SetNumberPrefixAsync(string numberPrefix)
    {
        if (!InvoiceNumbers.IsValidPrefix(numberPrefix))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                $"number_prefix must be {InvoiceNumbers.PrefixRule}.", "number_prefix");
        }
        var tenantId = this.GetPrimaryKeyString();
        var before = await GetAsync();
        await using (var command = dataSource.CreateCommand(
            """
            INSERT INTO invoice_numbering AS n (tenant_id, prefix) VALUES ($1, $2)
            ON CONFLICT (tenant_id) DO UPDATE SET prefix = excluded.prefix, updated_at = now()
            """))
        {
            command.Parameters.AddWithValue(tenantId);
            command.Parameters.AddWithValue(numberPrefix);
            await command.ExecuteNonQueryAsync();
        }
        if (before.NumberPrefix != numberPrefix)
        {
            await GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(AuditActions.TenantInvoiceSettingsChanged, tenantId,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["number_prefix"] = numberPrefix, ["previous_number_prefix"] = before.NumberPrefix }));
        }
        return await GetAsync();
    }
}
