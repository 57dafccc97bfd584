using Platform.Api.Common;
using Platform.Grains.Interfaces.DataProtection;

namespace Platform.Api.DataProtection;

/// <param name="Status"><c>running</c> or <c>idle</c>.</param>
/// <param name="DataKeysByKeyId">Live data keys per id of the configured key wrapping them.</param>
public sealed record DataKeyRotationResource(
    string Status, string CurrentKeyId, long Rewrapped, IReadOnlyDictionary<string, long> DataKeysByKeyId, long Shredded,
    long? Started, long? Finished, string? LastError)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "data_key_rotation";

    public static DataKeyRotationResource From(DataKeyRotationStatus status) =>
        new(status.Running ? "running" : "idle", status.CurrentKeyId, status.Rewrapped, status.KeysByKekId, status.Shredded,
            status.Started is { } started ? UnixTime.Seconds(started) : null,
            status.Finished is { } finished ? UnixTime.Seconds(finished) : null,
            status.LastError);
}
