using Platform.Api.Common;
using Platform.Grains.Interfaces.Security;

namespace Platform.Api.Security;

public sealed record BlockedAddressResource(string Address, string? Reason, long Created, string Actor)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "blocked_address";

    public static BlockedAddressResource From(BlockedAddressRange range) =>
        new(range.Range, range.Reason, UnixTime.Seconds(range.Created), range.Actor);
}

public sealed record DeletedBlockedAddressResource(string Address)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "blocked_address";

    public bool Deleted => true;
}

public sealed record BlockAddressRequest(string? Address, string? Reason);
