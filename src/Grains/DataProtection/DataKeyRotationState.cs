namespace Platform.Grains.DataProtection;

[GenerateSerializer, Alias("platform.data_key_rotation_state")]
public sealed class DataKeyRotationState
{
    [Id(0)] public bool Running { get; set; }

    [Id(1)] public long Rewrapped { get; set; }

    [Id(2)] public DateTimeOffset? Started { get; set; }

    [Id(3)] public DateTimeOffset? Finished { get; set; }

    [Id(4)] public string? LastError { get; set; }
}
