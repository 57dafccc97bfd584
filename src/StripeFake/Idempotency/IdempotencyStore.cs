using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.StripeFake.Idempotency;

/// <summary>
/// Idempotency keys scoped per API key, as Stripe scopes them per account and mode. The scope is kept as a
/// hash of the key, so the state file never holds an API key.
/// </summary>
internal sealed class IdempotencyStore
{
    private readonly ConcurrentDictionary<(string Scope, string Key), IdempotencyEntry> _entries = new();

    /// <summary>Claims the key for a first request, or returns the existing entry.</summary>
    public (IdempotencyEntry Entry, bool IsNew) Begin(string apiKey, string key, string fingerprint)
    {
        var fresh = new IdempotencyEntry(fingerprint);
        var entry = _entries.GetOrAdd((Scope(apiKey), key), fresh);
        return (entry, ReferenceEquals(entry, fresh));
    }

    public void Abandon(string apiKey, string key, IdempotencyEntry entry) =>
        _entries.TryRemove(new KeyValuePair<(string, string), IdempotencyEntry>((Scope(apiKey), key), entry));

    /// <summary>The finished entries (a request still running has no result to keep).</summary>
    public JsonArray Export() => new([.. _entries
        .Where(e => e.Value.Response is not null)
        .Select(e => (JsonNode)new JsonObject
        {
            ["scope"] = e.Key.Scope,
            ["key"] = e.Key.Key,
            ["fingerprint"] = e.Value.Fingerprint,
            ["status"] = e.Value.Response!.StatusCode,
            ["content_type"] = e.Value.Response.ContentType,
            ["body"] = Convert.ToBase64String(e.Value.Response.Body),
            ["request_id"] = e.Value.Response.RequestId,
        })]);

    public void Import(JsonArray saved)
    {
        foreach (var entry in saved.OfType<JsonObject>())
        {
            _entries[((string)entry["scope"]!, (string)entry["key"]!)] = new IdempotencyEntry((string)entry["fingerprint"]!)
            {
                Response = new StoredResponse(
                    (int)entry["status"]!,
                    (string?)entry["content_type"],
                    Convert.FromBase64String((string)entry["body"]!),
                    (string?)entry["request_id"]),
            };
        }
    }

    private static string Scope(string apiKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
