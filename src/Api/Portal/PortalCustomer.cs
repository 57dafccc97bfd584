namespace Platform.Api.Portal;

/// <summary>Whom a portal request is for; <see cref="Key"/> is the <c>ten_…/cus_…</c> grain key.</summary>
public sealed record PortalCustomer(string TenantId, string CustomerId, string SessionId, string Key);
