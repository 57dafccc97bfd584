using System.Text.Json;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>How the invoice's JSON columns (pricing, tiers, metadata, outbox) are written and read: one set of options.</summary>
public static class InvoiceJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
                                            ?? throw new InvalidDataException($"Invoice column held null for {typeof(T).Name}.");

    public static IReadOnlyList<InvoiceLineTier> Tiers(string json) => Read<List<InvoiceLineTier>>(json);
}
