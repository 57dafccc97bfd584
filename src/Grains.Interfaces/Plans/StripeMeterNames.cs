using System.Security.Cryptography;
using System.Text;

namespace Platform.Grains.Interfaces.Plans;

/// <summary>
/// The <c>event_name</c> of the Stripe Billing Meter that counts one tenant's metric. All tenants share one Stripe
/// account, where an active meter's event name is unique, so the name carries the tenant: <c>{tenant}.{metric}</c>,
/// or, when that would pass Stripe's 100 characters, the tenant and a hash of the metric. Built here only: the PCI
/// grain that creates the meter and the usage forwarder that sends under it must agree.
/// </summary>
public static class StripeMeterNames
{
    public const int MaxLength = 100;

    public static string EventName(string tenantId, string metric)
    {
        var plain = $"{tenantId}.{metric}";
        if (plain.Length <= MaxLength)
        {
            return plain;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(metric)))[..32];
        return $"{tenantId}.m_{hash}";
    }
}
