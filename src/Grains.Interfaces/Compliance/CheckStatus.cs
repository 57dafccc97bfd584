namespace Platform.Grains.Interfaces.Compliance;

/// <summary>Stored values: never reuse one.</summary>
public enum CheckStatus
{
    Pass = 1,
    Fail = 2,

    /// <summary>The control does not apply here (TLS outside production).</summary>
    NotApplicable = 3,
}
