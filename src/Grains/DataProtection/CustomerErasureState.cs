using Platform.Grains.Interfaces.DataProtection;

namespace Platform.Grains.DataProtection;

[GenerateSerializer, Alias("platform.customer_erasure_state")]
public sealed class CustomerErasureState
{
    [Id(0)] public ErasureStatus? Status { get; set; }

    [Id(1)] public List<ErasureStep> StepsCompleted { get; set; } = [];

    [Id(2)] public DateTimeOffset Requested { get; set; }

    [Id(3)] public DateTimeOffset? Completed { get; set; }

    [Id(4)] public int Attempts { get; set; }

    [Id(5)] public string? LastError { get; set; }

    /// <summary>Pseudonym salt for the usage step; discarded when the erasure completes.</summary>
    [Id(6)] public string? Salt { get; set; }

    /// <summary>Who asked, for the closing audit entry, which may be written later by a reminder.</summary>
    [Id(7)] public string Actor { get; set; } = "system";

    [Id(8)] public string? RequestId { get; set; }

    [Id(9)] public string? Ip { get; set; }

    /// <summary>What the steps did, for the closing audit entry (counts and flags, never personal data).</summary>
    [Id(10)] public Dictionary<string, string> Outcome { get; set; } = [];
}
