namespace Platform.Grains.Interfaces.Compliance;

/// <summary>
/// One per silo, keyed by the silo's address (<c>SiloAddress.ToParsableString()</c>) and placed on that
/// silo only, so the answer is the silo's own view of itself.
/// </summary>
[Alias("platform.silo_posture_grain")]
public interface ISiloPostureGrain : IGrainWithStringKey
{
    [Alias("get")]
    Task<SiloPosture> GetAsync();
}
