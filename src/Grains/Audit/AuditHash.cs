using System.Security.Cryptography;
using System.Text.Json;
using Platform.Grains.Interfaces.Audit;

namespace Platform.Grains.Audit;

/// <summary>
/// The chain's hash: SHA-256 over the previous hash and a canonical encoding of the entry (fixed field
/// order, details sorted by key, time in Unix milliseconds), so it can be recomputed from the stored row.
/// </summary>
public static class AuditHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(AuditEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(entry.PreviousHash);
            json.WriteStringValue(entry.Chain);
            json.WriteNumberValue(entry.Sequence);
            json.WriteStringValue(entry.Id);
            json.WriteNumberValue(entry.Occurred.ToUnixTimeMilliseconds());
            json.WriteStringValue(entry.Actor);
            json.WriteStringValue(entry.Action);
            json.WriteStringValue(entry.Subject);
            json.WriteStringValue(entry.RequestId);
            json.WriteStringValue(entry.Ip);
            json.WriteStartArray();
            foreach (var (key, value) in entry.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteStringValue(key);
                json.WriteStringValue(value);
            }
            json.WriteEndArray();
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
