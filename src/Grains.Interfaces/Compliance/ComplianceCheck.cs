namespace Platform.Grains.Interfaces.Compliance;

/// <summary>One control of the self-assessment: a stable id, the PCI DSS requirement it serves, the outcome and what was seen.</summary>
[GenerateSerializer, Immutable, Alias("platform.compliance_check")]
public sealed record ComplianceCheck(
    [property: Id(0)] string Id,
    [property: Id(1)] string Requirement,
    [property: Id(2)] CheckStatus Status,
    [property: Id(3)] string Evidence);
