namespace Platform.Grains.Common;

/// <summary>Kinds stored in the resource index; stored values, never renamed.</summary>
public static class ResourceKinds
{
    public const string Tenant = "tenant";
    public const string Customer = "customer";

    /// <summary>Payments, indexed under the tenant id and under the customer key (ten_…/cus_…).</summary>
    public const string Payment = "payment";

    /// <summary>The scope that holds platform-wide resources such as tenants.</summary>
    public const string PlatformScope = "platform";
}
