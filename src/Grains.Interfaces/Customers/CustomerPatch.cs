namespace Platform.Grains.Interfaces.Customers;

/// <summary>A partial update: null leaves a field as it is; an empty string clears it.
/// Metadata merges key by key, and an empty value removes a key (Stripe's rule).</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_patch")]
public sealed record CustomerPatch(
    [property: Id(0)] string? Email,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Metadata);
