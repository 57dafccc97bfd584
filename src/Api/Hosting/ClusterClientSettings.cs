namespace Platform.Api.Hosting;

/// <summary>The <c>Orleans</c> section: the cluster whose gateways this API host calls.</summary>
public sealed class ClusterClientSettings
{
    public const string SectionName = "Orleans";

    public string ClusterId { get; set; } = "platform";

    public string ServiceId { get; set; } = "platform";
}
