namespace Platform.Grains.Interfaces.Compliance;

/// <summary>
/// What one silo reports about its own configuration, for the compliance report: presence and kind of
/// secrets, never their values.
/// </summary>
/// <param name="StripeKeyMode"><c>test</c>, <c>live</c> or <c>unknown</c> (by the key's prefix); null without a key.</param>
/// <param name="PciGrainClasses">PCI grain classes this silo can host (empty on a core-only silo).</param>
/// <param name="PciActivations">PCI grain activations on this silo now.</param>
[GenerateSerializer, Immutable, Alias("platform.silo_posture")]
public sealed record SiloPosture(
    [property: Id(0)] string Silo,
    [property: Id(1)] IReadOnlyList<string> Roles,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool StripeSecretConfigured,
    [property: Id(4)] string? StripeKeyMode,
    [property: Id(5)] bool StripeWebhookSecretConfigured,
    [property: Id(6)] bool DataKeyConfigured,
    [property: Id(7)] string? DataKeyId,
    [property: Id(8)] bool DataKeyWeak,
    [property: Id(9)] IReadOnlyList<string> PciGrainClasses,
    [property: Id(10)] int PciActivations,
    [property: Id(11)] TimeSpan EventRetention,
    [property: Id(12)] TimeSpan UsageRetentionMinimumAge)
{
    public bool IsPci => Roles.Contains("pci");
}
