namespace Platform.Grains.Interfaces.Compliance;

/// <summary>Assesses the running cluster against the PCI controls the platform implements (key 0).</summary>
[Alias("platform.compliance")]
public interface IComplianceGrain : IGrainWithIntegerKey
{
    [Alias("assess")]
    Task<ClusterAssessment> AssessAsync();
}
