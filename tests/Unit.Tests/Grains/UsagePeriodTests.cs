using Platform.Grains.Usage;

namespace Platform.Unit.Tests.Grains;

public sealed class UsagePeriodTests
{
    [Theory]
    [InlineData("2025-01-31T23:59:59Z", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z")]
    [InlineData("2025-02-01T00:00:00Z", "2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z")]
    [InlineData("2024-12-31T23:30:00-01:00", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z")]
    public void Containing_IsTheCalendarMonthInUtc(string time, string start, string end)
    {
        var period = UsagePeriod.Containing(DateTimeOffset.Parse(time));

        Assert.Equal(DateTimeOffset.Parse(start), period.Start);
        Assert.Equal(DateTimeOffset.Parse(end), period.End);
        Assert.True(period.Contains(DateTimeOffset.Parse(time)));
        Assert.False(period.Contains(period.End));
    }
}
