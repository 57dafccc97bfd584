namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>
/// The re-encryption job as it stands: <see cref="KeysByKekId"/> counts live data keys per wrapping key
/// id (all under <see cref="CurrentKeyId"/> once done); <see cref="Shredded"/> counts erased subjects.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.data_key_rotation_status")]
public sealed record DataKeyRotationStatus(
    [property: Id(0)] bool Running,
    [property: Id(1)] string CurrentKeyId,
    [property: Id(2)] long Rewrapped,
    [property: Id(3)] IReadOnlyDictionary<string, long> KeysByKekId,
    [property: Id(4)] long Shredded,
    [property: Id(5)] DateTimeOffset? Started,
    [property: Id(6)] DateTimeOffset? Finished,
    [property: Id(7)] string? LastError);
