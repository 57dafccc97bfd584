using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Api.Auth;

/// <summary>
/// SHA-256 of a presented credential: what the host's cache is keyed by, so the cache never holds a
/// secret. Unkeyed is enough: secrets carry about 256 random bits, so the digest cannot be reversed or
/// guessed, and only the credential's grain (HMAC, constant-time) decides whether a secret is right.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct CredentialDigest(ulong A, ulong B, ulong C, ulong D)
{
    private const int MaxCredentialBytes = 1024;

    public static CredentialDigest Of(string credential)
    {
        Span<byte> utf8 = stackalloc byte[MaxCredentialBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // Callers refuse credentials over 200 characters before asking; this only keeps the stack bounded.
        var length = Encoding.UTF8.GetBytes(credential.AsSpan(0, Math.Min(credential.Length, MaxCredentialBytes / 4)), utf8);
        SHA256.HashData(utf8[..length], hash);
        return MemoryMarshal.Read<CredentialDigest>(hash);
    }
}
