namespace Platform.Grains.Interfaces.Customers;

/// <summary>The customer after its record was erased, and how many of its keys are revoked.</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_erasure_result")]
public sealed record CustomerErasureResult(
    [property: Id(0)] CustomerSnapshot Customer,
    [property: Id(1)] int KeysRevoked);
