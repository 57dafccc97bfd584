namespace Platform.Grains.Compliance;

/// <summary>
/// The silo's configuration posture, read once by the silo host at start-up (the host owns configuration;
/// the Stripe section is only inspected for presence and prefix, its values never leave the host).
/// </summary>
public sealed record LocalSiloPosture(
    IReadOnlyList<string> Roles,
    string Environment,
    bool StripeSecretConfigured,
    string? StripeKeyMode,
    bool StripeWebhookSecretConfigured,
    bool DataKeyConfigured,
    string? DataKeyId,
    bool DataKeyWeak)
{
    /// <summary><c>test</c>, <c>live</c> or <c>unknown</c> by Stripe's key prefixes (sk_/rk_), null for none.</summary>
    public static string? ModeOf(string? secretKey) => secretKey switch
    {
        null or "" => null,
        _ when secretKey.StartsWith("sk_live_", StringComparison.Ordinal) || secretKey.StartsWith("rk_live_", StringComparison.Ordinal) => "live",
        _ when secretKey.StartsWith("sk_test_", StringComparison.Ordinal) || secretKey.StartsWith("rk_test_", StringComparison.Ordinal) => "test",
        _ => "unknown",
    };

    /// <summary>
    /// A data key an attacker could guess: not 32 bytes of base64, or a published example (the all-zero
    /// key of docs/DATA-PROTECTION.md), or so repetitive it cannot have come from a random generator.
    /// </summary>
    public static bool IsWeak(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return false;
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return true;
        }
        return key.Length != 32 || key.Distinct().Count() < 16;
    }
}
