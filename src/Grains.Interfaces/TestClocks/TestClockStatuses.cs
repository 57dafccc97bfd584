namespace Platform.Grains.Interfaces.TestClocks;

/// <summary>Stripe's test clock statuses.</summary>
public static class TestClockStatuses
{
    public const string Ready = "ready";
    public const string Advancing = "advancing";
}
