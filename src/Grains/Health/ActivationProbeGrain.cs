using Platform.Grains.Interfaces.Health;

namespace Platform.Grains.Health;

public sealed class ActivationProbeGrain : Grain, IActivationProbeGrain
{
    public Task TouchAsync() => Task.CompletedTask;
}
