using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Common;

/// <summary>
/// Encrypts single fields for storage (webhook signing secrets now; customer emails and license keys
/// later) with AES-256-GCM. The stored text is <c>keyId:nonce:ciphertext:tag</c> (base64url parts), so a
/// value names the key that opens it and keys can rotate without rewriting old rows. The
/// <c>purpose</c> (for example <c>webhook_secret:ten_…/we_…</c>) is authenticated data: a ciphertext
/// copied into another record or field does not open there.
/// </summary>
public sealed class FieldProtector
{
    private const char Separator = AesGcmText.Separator;
    private const int KeyBytes = 32;

    private readonly string? _currentKeyId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public FieldProtector(IOptions<FieldProtectorOptions> options)
    {
        var settings = options.Value;
        foreach (var (id, key) in settings.DataKeys)
        {
            _keys[CheckId(id)] = Decode(id, key);
        }
        if (!string.IsNullOrEmpty(settings.DataKey))
        {
            _currentKeyId = CheckId(settings.DataKeyId);
            _keys[_currentKeyId] = Decode(_currentKeyId, settings.DataKey);
        }
    }

    /// <summary>Whether a current key is configured (a silo without one can still start; protecting then fails).</summary>
    public bool CanProtect => _currentKeyId is not null;

    /// <summary>The id of the key new values are protected with; null when none is configured.</summary>
    public string? CurrentKeyId => _currentKeyId;

    /// <summary>Ids of every configured key, current and retired.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>Whether a protected value is under the current key (the re-encryption job moves the others).</summary>
    public bool IsCurrent(string protectedText) => _currentKeyId is not null && KeyIdOf(protectedText) == _currentKeyId;

    public string Protect(string plaintext, string purpose)
    {
        if (_currentKeyId is null)
        {
            throw new InvalidOperationException("Platform:DataKey is not configured (base64 of 32 random bytes; env Platform__DataKey).");
        }
        return AesGcmText.Seal(_keys[_currentKeyId], _currentKeyId, plaintext, Encoding.UTF8.GetBytes(purpose));
    }

    /// <summary>Opens a value made by <see cref="Protect"/> for the same purpose; throws when tampered, misplaced or its key is gone.</summary>
    public string Unprotect(string protectedText, string purpose)
    {
        var parts = AesGcmText.Parts(protectedText, "keyId:nonce:ciphertext:tag");
        if (!_keys.TryGetValue(parts[0], out var key))
        {
            throw new CryptographicException($"Data key '{parts[0]}' is not configured (Platform:DataKeys:{parts[0]}).");
        }
        return AesGcmText.Open(key, parts, Encoding.UTF8.GetBytes(purpose));
    }

    /// <summary>The key id of a protected value: lets a job find values still under a retired key.</summary>
    public static string KeyIdOf(string protectedText) => protectedText.Split(Separator)[0];

    private static string CheckId(string id) =>
        id.Length is > 0 and <= 32 && !id.Contains(Separator)
            ? id
            : throw new InvalidOperationException($"Data key id '{id}' must be 1 to 32 characters without ':'.");

    private static byte[] Decode(string id, string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Data key '{id}' is not base64.");
        }
        return key.Length == KeyBytes ? key : throw new InvalidOperationException($"Data key '{id}' must be {KeyBytes} bytes (it is {key.Length}).");
    }
}
