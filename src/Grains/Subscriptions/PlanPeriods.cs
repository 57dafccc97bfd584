using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Subscriptions;

/// <summary>Billing period arithmetic: a period ends one interval after it starts, on the same day and time of day.</summary>
public static class PlanPeriods
{
    public static DateTimeOffset End(DateTimeOffset start, PlanInterval interval) => interval switch
    {
        PlanInterval.Day => start.AddDays(1),
        PlanInterval.Month => start.AddMonths(1),
        PlanInterval.Year => start.AddYears(1),
        _ => throw new ArgumentOutOfRangeException(nameof(interval)),
    };
}
