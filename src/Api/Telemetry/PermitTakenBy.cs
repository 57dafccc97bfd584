namespace Platform.Api.Telemetry;

/// <summary>Where a request's rate-limit permit came from.</summary>
public enum PermitTakenBy
{
    /// <summary>The credential's grain, in the call that verified the credential.</summary>
    Credential = 1,

    /// <summary>A call of its own to the limiter grain (a new lease, or one permit near the limit).</summary>
    Limiter = 2,

    /// <summary>A permit this host had leased before: no call.</summary>
    Lease = 3,
}
