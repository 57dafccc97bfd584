using System.Threading.Channels;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Portal;

/// <summary>One open usage page's feed; disposing it stops the host watching when it was the last.</summary>
public sealed class UsageSubscription(ChannelReader<UsageSummary> reader, Action release) : IDisposable
{
    public ChannelReader<UsageSummary> Reader { get; } = reader;

    public void Dispose() => release();
}
