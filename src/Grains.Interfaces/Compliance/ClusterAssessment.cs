namespace Platform.Grains.Interfaces.Compliance;

/// <summary>The cluster side of the compliance report: every active silo's posture and the checks made from them and the database.</summary>
[GenerateSerializer, Immutable, Alias("platform.cluster_assessment")]
public sealed record ClusterAssessment(
    [property: Id(0)] IReadOnlyList<SiloPosture> Silos,
    [property: Id(1)] IReadOnlyList<ComplianceCheck> Checks,
    [property: Id(2)] DateTimeOffset Generated);
