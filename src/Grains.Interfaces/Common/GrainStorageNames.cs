namespace Platform.Grains.Interfaces.Common;

/// <summary>Names of the grain storage providers the silo registers, for grains on both sides of the PCI boundary.</summary>
public static class GrainStorageNames
{
    /// <summary>ADO.NET grain storage on PostgreSQL: every durable grain state. A stored name, never changed.</summary>
    public const string Platform = "platform";
}
