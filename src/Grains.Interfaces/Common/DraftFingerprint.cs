using System.Security.Cryptography;
using System.Text;

namespace Platform.Grains.Interfaces.Common;

/// <summary>
/// The fingerprint of a create request, stored with what it created. A retry with the same
/// Idempotency-Key and the same fingerprint returns the first result; another fingerprint is a conflict.
/// </summary>
public static class DraftFingerprint
{
    public static string Of(params string?[] fields)
    {
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            // Length-prefixed so ("ab","c") and ("a","bc") differ.
            text.Append(field?.Length ?? -1).Append(':').Append(field).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string Of(IReadOnlyDictionary<string, string> metadata) =>
        Of(metadata.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { p.Key, p.Value }).ToArray());
}
