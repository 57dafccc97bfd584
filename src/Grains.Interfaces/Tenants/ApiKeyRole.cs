namespace Platform.Grains.Interfaces.Tenants;

/// <summary>What a tenant API key may do. Values are stored; never reuse one.</summary>
[GenerateSerializer, Alias("platform.api_key_role")]
public enum ApiKeyRole
{
    Read = 1,
    Finance = 2,
    Admin = 3,
}
