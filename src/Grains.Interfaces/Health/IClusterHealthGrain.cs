namespace Platform.Grains.Interfaces.Health;

/// <summary>Answers readiness probes: proves a gateway accepts calls and a silo can run a grain.</summary>
[Alias("platform.cluster_health")]
public interface IClusterHealthGrain : IGrainWithIntegerKey
{
    [Alias("ping")]
    Task<string> PingAsync();
}
