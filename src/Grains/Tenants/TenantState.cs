using Platform.Grains.Interfaces.Tenants;

namespace Platform.Grains.Tenants;

[GenerateSerializer, Alias("platform.tenant_state")]
public sealed class TenantState
{
    [Id(0)] public string? Id { get; set; }

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public DateTimeOffset Created { get; set; }

    [Id(3)] public Dictionary<string, string> Metadata { get; set; } = [];

    [Id(4)] public string? Fingerprint { get; set; }

    [Id(5)] public List<ApiKeySummary> ApiKeys { get; set; } = [];

    [Id(6)] public Dictionary<string, Interfaces.RateLimiting.RateLimitRule> RateLimits { get; set; } = [];

    [Id(7)] public Interfaces.Payments.PaymentLimits? PaymentLimits { get; set; }
}
