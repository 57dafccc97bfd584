namespace Platform.Grains.Subscriptions;

/// <summary>
/// The order of events about one Stripe object: Stripe's <c>created</c> (seconds), then a rank of the
/// status it reports (so within one second the further status wins), then the event id (so even equal
/// pairs order the same way whatever the arrival order).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_event_version")]
public sealed record StripeEventVersion(
    [property: Id(0)] long Created,
    [property: Id(1)] int Rank,
    [property: Id(2)] string EventId)
{
    /// <summary>
    /// No event yet: a new instance every time, never a shared one. Grain storage (Newtonsoft, references
    /// preserved) fills a state's existing property values in place: with one shared instance behind both
    /// SubscriptionState versions it wrote the stored values into that instance and then failed to read any
    /// state whose two versions differ ("A different Id has already been assigned"), so the grain could not
    /// re-activate (found by bench/chaos.sh after a silo kill).
    /// </summary>
    public static StripeEventVersion None => new(0, 0, "");

    public bool IsAfter(StripeEventVersion other)
    {
        var byCreated = Created.CompareTo(other.Created);
        if (byCreated != 0)
        {
            return byCreated > 0;
        }
        var byRank = Rank.CompareTo(other.Rank);
        return byRank != 0 ? byRank > 0 : string.CompareOrdinal(EventId, other.EventId) > 0;
    }
}
