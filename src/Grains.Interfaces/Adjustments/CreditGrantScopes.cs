namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>What a credit grant may pay for (<c>applies_to</c>): usage lines only, or the whole invoice.</summary>
public static class CreditGrantScopes
{
    public const string Metered = "metered";
    public const string All = "all";

    public static bool IsKnown(string? value) => value is Metered or All;
}
