using System.Security.Cryptography;
using System.Text;
using Platform.Grains.Common;

namespace Platform.Grains.DataProtection;

/// <summary>
/// One data subject's data key, unwrapped, for the fields of that subject: AES-256-GCM, stored as
/// <c>dk:nonce:ciphertext:tag</c> (base64url). The <c>purpose</c> (for example <c>customer.email</c>) is
/// authenticated data, so a ciphertext moved into another field does not open. Held in memory only.
/// </summary>
public sealed class SubjectKey
{
    public const string Marker = "dk";
    private const char Separator = AesGcmText.Separator;

    private readonly byte[] _key;

    public SubjectKey(string scope, byte[] key)
    {
        Scope = scope;
        _key = key.Length == 32 ? key : throw new ArgumentException("A data key is 32 bytes.", nameof(key));
    }

    public string Scope { get; }

    /// <summary>Whether a stored value was made by <see cref="Protect"/> (as opposed to legacy plaintext).</summary>
    public static bool IsProtected(string? value) => value is not null && value.StartsWith(Marker + Separator, StringComparison.Ordinal);

    public string Protect(string plaintext, string purpose)
    {
        return AesGcmText.Seal(_key, Marker, plaintext, AssociatedData(purpose));
    }

    public string? ProtectOrNull(string? plaintext, string purpose) => plaintext is null ? null : Protect(plaintext, purpose);

    /// <summary>Opens a value of this subject; throws <see cref="CryptographicException"/> when damaged or misplaced.</summary>
    public string Unprotect(string protectedText, string purpose)
    {
        var parts = AesGcmText.Parts(protectedText, "dk:nonce:ciphertext:tag");
        if (parts[0] != Marker)
        {
            throw new CryptographicException("The protected value is not dk:nonce:ciphertext:tag.");
        }
        return AesGcmText.Open(_key, parts, AssociatedData(purpose));
    }

    public string? UnprotectOrNull(string? protectedText, string purpose) => protectedText is null ? null : Unprotect(protectedText, purpose);

    // The scope is bound too: a ciphertext copied to another subject does not open under its key.
    private byte[] AssociatedData(string purpose) => Encoding.UTF8.GetBytes(Scope + "|" + purpose);

}
