using Platform.Grains.Common;
using Platform.Grains.Compliance;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Silo.Hosting;

/// <summary>
/// Reads the silo's configuration posture for the compliance report: which secrets are present and of
/// what kind. Values are looked at here and only their presence, prefix and strength leave this method.
/// </summary>
public static class SiloPostureReader
{
    public static LocalSiloPosture Read(IConfiguration configuration, IHostEnvironment environment, IReadOnlySet<string> roles)
    {
        var stripe = configuration.GetSection(PciConfiguration.StripeSection);
        var secretKey = stripe["SecretKey"];
        var dataKey = configuration[$"{FieldProtectorOptions.SectionName}:DataKey"];
        return new LocalSiloPosture(
            roles.Order(StringComparer.Ordinal).ToArray(),
            environment.EnvironmentName,
            StripeSecretConfigured: !string.IsNullOrEmpty(secretKey),
            StripeKeyMode: LocalSiloPosture.ModeOf(secretKey),
            StripeWebhookSecretConfigured: !string.IsNullOrEmpty(stripe["WebhookSecret"]),
            DataKeyConfigured: !string.IsNullOrEmpty(dataKey),
            DataKeyId: string.IsNullOrEmpty(dataKey) ? null : configuration[$"{FieldProtectorOptions.SectionName}:DataKeyId"] ?? "k1",
            DataKeyWeak: LocalSiloPosture.IsWeak(dataKey));
    }
}
