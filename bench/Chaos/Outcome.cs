namespace Platform.Bench.Chaos;

/// <summary>
/// One HTTP request's result. <see cref="Status"/> is the HTTP status, or 0 for a timeout (no answer within
/// <see cref="ChaosSettings.RequestTimeout"/>) and -1 for a refused or broken connection.
/// </summary>
public sealed record Outcome(string Kind, string Host, string Phase, DateTimeOffset Start, DateTimeOffset End, int Status, bool RetryAfter)
{
    public const int Timeout = 0;
    public const int ConnectionError = -1;

    public bool Succeeded => Status is >= 200 and < 300;

    public string StatusLabel => Status switch
    {
        Timeout => "timeout",
        ConnectionError => "conn_error",
        _ => Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
