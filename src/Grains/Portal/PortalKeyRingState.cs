namespace Platform.Grains.Portal;

[GenerateSerializer, Alias("platform.portal_key_ring_state")]
public sealed class PortalKeyRingState
{
    /// <summary>Friendly name → the key element's XML, sealed by the FieldProtector.</summary>
    [Id(0)] public Dictionary<string, string> Elements { get; set; } = [];
}
