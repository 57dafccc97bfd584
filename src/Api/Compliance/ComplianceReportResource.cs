using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Compliance;

namespace Platform.Api.Compliance;

/// <param name="Status"><c>pass</c> when no check failed, else <c>fail</c>.</param>
public sealed record ComplianceReportResource(
    string Status, string Environment, long Created, IReadOnlyList<SiloPostureResource> Silos, IReadOnlyList<ComplianceCheckResource> Checks)
{
    [JsonPropertyOrder(-1)]
    public string Object => "compliance_report";

    public static ComplianceReportResource From(string environment, ClusterAssessment cluster, IReadOnlyList<ComplianceCheck> checks) => new(
        checks.Any(c => c.Status == CheckStatus.Fail) ? "fail" : "pass",
        environment,
        UnixTime.Seconds(cluster.Generated),
        cluster.Silos.Select(SiloPostureResource.From).ToArray(),
        checks.Select(ComplianceCheckResource.From).ToArray());
}

/// <param name="Status"><c>pass</c>, <c>fail</c> or <c>not_applicable</c>.</param>
public sealed record ComplianceCheckResource(string Id, string Requirement, string Status, string Evidence)
{
    public static ComplianceCheckResource From(ComplianceCheck check) => new(check.Id, check.Requirement,
        check.Status switch
        {
            CheckStatus.Pass => "pass",
            CheckStatus.Fail => "fail",
            _ => "not_applicable",
        },
        check.Evidence);
}

/// <summary>A silo as it reported itself: presence and kind of secrets, never their values.</summary>
public sealed record SiloPostureResource(
    string Silo, IReadOnlyList<string> Roles, string Environment, bool StripeSecretKey, string? StripeKeyMode, bool StripeWebhookSecret,
    bool DataKey, string? DataKeyId, IReadOnlyList<string> PciGrainClasses, int PciActivations)
{
    public static SiloPostureResource From(SiloPosture posture) => new(posture.Silo, posture.Roles, posture.Environment,
        posture.StripeSecretConfigured, posture.StripeKeyMode, posture.StripeWebhookSecretConfigured,
        posture.DataKeyConfigured && !posture.DataKeyWeak, posture.DataKeyId, posture.PciGrainClasses, posture.PciActivations);
}
