namespace Platform.Grains.Interfaces.Customers;

/// <summary>Stored values: never reuse one.</summary>
public enum CustomerStatus
{
    Active = 1,

    /// <summary>Personal data erased (GDPR art. 17); the id and financial records remain.</summary>
    Erased = 2,
}
