using Platform.Grains.Interfaces.Plans;

namespace Platform.Api.Plans;

/// <summary>The wire names of plan enumerations (snake_case, as Stripe spells its own).</summary>
public static class PlanWire
{
    public static string Interval(PlanInterval interval) => interval switch
    {
        PlanInterval.Day => "day",
        PlanInterval.Month => "month",
        PlanInterval.Year => "year",
        _ => throw new ArgumentOutOfRangeException(nameof(interval)),
    };

    public static PlanInterval? ParseInterval(string? value) => value switch
    {
        "day" => PlanInterval.Day,
        "month" => PlanInterval.Month,
        "year" => PlanInterval.Year,
        _ => null,
    };

    public static string Model(PricingModel model) => model switch
    {
        PricingModel.PerUnit => "per_unit",
        PricingModel.Package => "package",
        PricingModel.Graduated => "graduated",
        PricingModel.Volume => "volume",
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    public static PricingModel? ParseModel(string? value) => value switch
    {
        "per_unit" => PricingModel.PerUnit,
        "package" => PricingModel.Package,
        "graduated" => PricingModel.Graduated,
        "volume" => PricingModel.Volume,
        _ => null,
    };
}
