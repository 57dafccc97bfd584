namespace Platform.Grains.Interfaces.Customers;

/// <summary>
/// Audit detail keys whose values are personal data, encrypted under the customer's data key
/// (<c>dk:…</c>): the hash chain covers the ciphertext, so shredding the key on erasure makes them
/// unreadable without changing a row (docs/DATA-PROTECTION.md).
/// </summary>
public static class CustomerAuditDetails
{
    public const string Email = "email";
    public const string Name = "name";

    /// <summary>The detail naming the customer an entry is about when its subject is something else (a key).</summary>
    public const string Customer = "customer";
}
