using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Webhooks;

/// <summary>Signing secrets: <c>whsec_</c> and 32 base62 characters (about 190 bits), as Stripe's look.</summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string NewSecret() => Prefix + PlatformIds.RandomToken(32);

    /// <summary>The authenticated-data purpose binding a stored secret to its endpoint.</summary>
    public static string Purpose(string endpointKey) => "webhook_secret:" + endpointKey;
}
