using System.Security.Cryptography;
using System.Text;

namespace Platform.Grains.Common;

/// <summary>
/// AES-256-GCM over text, stored as <c>label:nonce:ciphertext:tag</c> (base64url parts): the one stored format
/// of <see cref="FieldProtector"/> (label: the key id) and of a subject's data key (label <c>dk</c>).
/// </summary>
internal static class AesGcmText
{
    public const char Separator = ':';
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static string Seal(byte[] key, string label, string plaintext, byte[] associatedData)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plain, cipher, tag, associatedData);
        }
        return string.Join(Separator, label, Encode(nonce), Encode(cipher), Encode(tag));
    }

    /// <summary>The four parts of a sealed value; throws <see cref="CryptographicException"/> naming <paramref name="shape"/> otherwise.</summary>
    public static string[] Parts(string sealedText, string shape)
    {
        var parts = sealedText.Split(Separator);
        return parts.Length == 4 ? parts : throw new CryptographicException($"The protected value is not {shape}.");
    }

    /// <summary>Opens the parts of a sealed value; one failure type for every damaged or misplaced value.</summary>
    public static string Open(byte[] key, string[] parts, byte[] associatedData)
    {
        byte[] nonce, cipher, tag;
        try
        {
            nonce = System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]);
            cipher = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
            tag = System.Buffers.Text.Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The protected value is damaged.", e);
        }
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Decrypt(nonce, cipher, tag, plain, associatedData);
        }
        return Encoding.UTF8.GetString(plain);
    }

    private static string Encode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
