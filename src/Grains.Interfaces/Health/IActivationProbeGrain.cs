namespace Platform.Grains.Interfaces.Health;

/// <summary>
/// The smallest possible activation: no state, one method. The memory benchmark activates many of these
/// to measure what Orleans itself costs per activation, beside what our grains add.
/// </summary>
[Alias("platform.activation_probe")]
public interface IActivationProbeGrain : IGrainWithStringKey
{
    [Alias("touch")]
    Task TouchAsync();
}
