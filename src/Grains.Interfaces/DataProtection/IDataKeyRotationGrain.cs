namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>
/// The re-encryption job: rewraps every data key still under a retired configured key with the current
/// one, in bounded batches, resumed by a reminder after a restart. One per cluster (key 0).
/// </summary>
[Alias("platform.data_key_rotation")]
public interface IDataKeyRotationGrain : IGrainWithIntegerKey
{
    /// <summary>Starts (or continues) the job and returns its state; a no-op when nothing is left.</summary>
    [Alias("start")]
    Task<DataKeyRotationStatus> StartAsync();

    [Alias("get")]
    Task<DataKeyRotationStatus> GetAsync();
}
