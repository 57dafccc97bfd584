namespace Platform.Grains.Interfaces.Common;

/// <summary>Classes of domain refusal; values are stored and never reused.</summary>
[GenerateSerializer, Alias("platform.error_kind")]
public enum PlatformErrorKind
{
    InvalidRequest = 1,
    NotFound = 2,
    Conflict = 3,
    Forbidden = 4,

    /// <summary>A dependency (the database) failed; the same request may be retried safely.</summary>
    Unavailable = 5,
}
