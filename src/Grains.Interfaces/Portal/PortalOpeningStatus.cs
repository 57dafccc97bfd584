namespace Platform.Grains.Interfaces.Portal;

/// <summary>What opening a portal url did. Values are stable.</summary>
public enum PortalOpeningStatus
{
    Opened = 0,
    Unknown = 1,
    Expired = 2,
    AlreadyUsed = 3,
}
