using Platform.Grains.Interfaces.Security;

namespace Platform.Grains.Security;

[GenerateSerializer, Alias("platform.address_blocklist_state")]
public sealed class AddressBlocklistState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public List<BlockedAddressRange> Ranges { get; set; } = [];
}
