using Platform.Grains.Interfaces.Tenants;

namespace Platform.Grains.Tenants;

[GenerateSerializer, Alias("platform.api_key_state")]
public sealed class ApiKeyState
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public ApiKeyRole Role { get; set; }

    /// <summary>HMAC-SHA256 of the secret; the secret itself is never stored.</summary>
    [Id(2)] public byte[] SecretHash { get; set; } = [];

    [Id(3)] public DateTimeOffset Created { get; set; }

    [Id(4)] public DateTimeOffset? Revoked { get; set; }
}
