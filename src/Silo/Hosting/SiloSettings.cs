namespace Platform.Silo.Hosting;

/// <summary>The <c>Silo</c> configuration section.</summary>
public sealed class SiloSettings
{
    public const string SectionName = "Silo";

    public string Roles { get; set; } = SiloRoles.Default;

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Health and metrics; 0 picks a free port (tests).</summary>
    public int HttpPort { get; set; } = 8081;

    /// <summary>How long a stopping silo may take to hand off and deactivate its grains.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
