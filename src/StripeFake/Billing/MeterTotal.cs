namespace Platform.StripeFake.Billing;

/// <summary>Running total of one customer's meter events for one event name.</summary>
internal sealed class MeterTotal
{
    public decimal Value { get; set; }

    public int Count { get; set; }
}
