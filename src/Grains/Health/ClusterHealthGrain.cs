using Orleans.Concurrency;
using Platform.Grains.Interfaces.Health;

namespace Platform.Grains.Health;

[StatelessWorker]
public sealed class ClusterHealthGrain : Grain, IClusterHealthGrain
{
    public Task<string> PingAsync() => Task.FromResult(RuntimeIdentity);
}
