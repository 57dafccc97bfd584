using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Platform.Grains.Interfaces.Compliance;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Usage;
using Platform.Grains.Webhooks;

namespace Platform.Grains.Compliance;

/// <summary>A silo's report on itself: its configuration posture, and the PCI grain classes it can host and has active.</summary>
[SiloPinned]
public sealed class SiloPostureGrain(
    LocalSiloPosture posture,
    ILocalSiloDetails silo,
    IOptions<GrainTypeOptions> grainTypes,
    IOptions<WebhookOptions> webhooks,
    IOptions<UsageOptions> usage) : Grain, ISiloPostureGrain
{
    public async Task<SiloPosture> GetAsync()
    {
        var hostable = PciGrainClasses.Among(grainTypes.Value.Classes).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
        var statistics = await GrainFactory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
        var pciNames = PciGrainClasses.Loaded().Select(t => t.Name).ToArray();
        var pciActivations = statistics
            .Where(s => pciNames.Any(name => s.GrainType.Contains(name, StringComparison.Ordinal)))
            .Sum(s => s.ActivationCount);
        return new SiloPosture(silo.SiloAddress.ToParsableString(), posture.Roles, posture.Environment,
            posture.StripeSecretConfigured, posture.StripeKeyMode, posture.StripeWebhookSecretConfigured,
            posture.DataKeyConfigured, posture.DataKeyId, posture.DataKeyWeak, hostable, pciActivations,
            webhooks.Value.EventRetention, usage.Value.RetentionMinimumAge);
    }
}
