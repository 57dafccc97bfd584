namespace Platform.Silo.Hosting;

/// <summary>
/// The <c>Orleans</c> section: which cluster this silo joins. Every silo and API host of one deployment
/// must agree; tests give each cluster its own id on one database.
/// </summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Orleans";

    public string ClusterId { get; set; } = "platform";

    public string ServiceId { get; set; } = "platform";
}
