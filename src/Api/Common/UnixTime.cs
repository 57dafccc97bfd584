namespace Platform.Api.Common;

public static class UnixTime
{
    /// <summary>Stripe's <c>created</c>: seconds since the Unix epoch, UTC.</summary>
    public static long Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds();
}
