namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>How much of one credit grant an invoice spent (minor units).</summary>
[GenerateSerializer, Immutable, Alias("platform.credit_grant_use")]
public sealed record CreditGrantUse([property: Id(0)] string CreditGrantId, [property: Id(1)] long Amount);
