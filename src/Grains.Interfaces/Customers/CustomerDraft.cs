namespace Platform.Grains.Interfaces.Customers;

/// <summary>A validated create request. <see cref="Fingerprint"/> identifies the request body so a replayed
/// Idempotency-Key with a different body is told apart from an honest retry.</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_draft")]
public sealed record CustomerDraft(
    [property: Id(0)] string? Email,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(4)] string? Fingerprint,
    [property: Id(5)] string? TestClockId = null);
