namespace Platform.Grains.Common;

/// <summary>
/// Keys for encryption at rest of sensitive fields, from the <c>Platform</c> section:
/// <c>Platform:DataKey</c> (base64 of 32 random bytes) is the current key, named <c>Platform:DataKeyId</c>
/// (default <c>k1</c>); retired keys stay readable as <c>Platform:DataKeys:&lt;id&gt;</c>. Rotating: move
/// the current key under DataKeys with its id, set a new DataKey and DataKeyId; old ciphertexts still
/// open, new ones use the new key. Keys are secrets: <see cref="ToString"/> never shows them.
/// </summary>
public sealed class FieldProtectorOptions
{
    public const string SectionName = "Platform";

    public string? DataKey { get; set; }

    public string DataKeyId { get; set; } = "k1";

    public Dictionary<string, string> DataKeys { get; set; } = [];

    public override string ToString() =>
        $"FieldProtectorOptions {{ DataKeyId = {DataKeyId}, DataKey = {(string.IsNullOrEmpty(DataKey) ? "(none)" : "***")}, DataKeys = [{string.Join(", ", DataKeys.Keys)}] }}";
}
