namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>A validated tax rate to create; <see cref="IsDefault"/> adds it to the tenant's default rates.</summary>
[GenerateSerializer, Immutable, Alias("platform.tax_rate_draft")]
public sealed record TaxRateDraft(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] decimal Percentage,
    [property: Id(2)] bool Inclusive,
    [property: Id(3)] string? Jurisdiction,
    [property: Id(4)] string? Country,
    [property: Id(5)] bool IsDefault);

/// <summary>A customer's tax status (Stripe's <c>tax_exempt</c>): <c>exempt</c> and <c>reverse</c> (reverse charge) are billed without tax.</summary>
public static class TaxExemptions
{
    public const string None = "none";
    public const string Exempt = "exempt";
    public const string Reverse = "reverse";

    public static bool IsKnown(string? value) => value is None or Exempt or Reverse;
}
