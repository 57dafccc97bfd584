namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>Stored values: never reuse one.</summary>
public enum ErasureStatus
{
    InProgress = 1,
    Completed = 2,
}
