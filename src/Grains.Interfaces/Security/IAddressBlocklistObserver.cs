namespace Platform.Grains.Interfaces.Security;

/// <summary>An API host's copy of the blocklist, replaced whole on every change (<see cref="IAddressBlocklistGrain"/>).</summary>
[Alias("platform.address_blocklist_observer")]
public interface IAddressBlocklistObserver : IGrainObserver
{
    [Alias("changed")]
    Task ChangedAsync(AddressBlocklist blocklist);
}
