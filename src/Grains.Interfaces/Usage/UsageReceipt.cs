namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// The meter's answer to one slice of events: one status per event, in the order sent, each committed
/// to the usage log before this returns. <see cref="CustomerFound"/> false means nothing was written
/// (no such customer in this tenant) and <see cref="Statuses"/> is empty; <see cref="CustomerErased"/> true
/// means the customer exists but was erased, and nothing was written either.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.usage_receipt")]
public sealed record UsageReceipt(
    [property: Id(0)] bool CustomerFound,
    [property: Id(1)] IReadOnlyList<UsageEventStatus> Statuses,
    [property: Id(2)] bool CustomerErased = false)
{
    public static UsageReceipt NoCustomer { get; } = new(false, []);

    public static UsageReceipt Erased { get; } = new(false, [], CustomerErased: true);
}
