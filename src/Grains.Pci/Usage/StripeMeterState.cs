using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Pci.Usage;

/// <summary>A tenant's dead-lettered meter events, newest last, capped at <see cref="StripeMeterGrain.MaxDeadLetters"/>.</summary>
[GenerateSerializer, Alias("platform.stripe_meter_state")]
public sealed class StripeMeterState
{
    [Id(0)] public List<DeadLetteredMeterEvent> DeadLetters { get; set; } = [];

    /// <summary>All dead letters ever recorded, including those the cap has dropped from the list.</summary>
    [Id(1)] public long DeadLetteredTotal { get; set; }
}
