using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Common;

/// <summary>Names of the grain storage providers the silo registers (core grains' spelling of <see cref="GrainStorageNames"/>).</summary>
public static class PlatformStorage
{
    /// <summary>ADO.NET grain storage on PostgreSQL: every durable grain state.</summary>
    public const string Name = GrainStorageNames.Platform;
}
