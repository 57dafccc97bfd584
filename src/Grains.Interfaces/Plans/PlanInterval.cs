namespace Platform.Grains.Interfaces.Plans;

/// <summary>A plan's billing interval (<c>day</c> exists for tests and short trials). Stored: never reuse a value.</summary>
[GenerateSerializer, Alias("platform.plan_interval")]
public enum PlanInterval
{
    Month = 1,
    Year = 2,
    Day = 3,
}
