namespace Platform.Bench.Chaos;

/// <summary>
/// The order the platform must keep for one subscription (SubscriptionGrain): an ended subscription stays ended
/// and an ending event always applies; otherwise the newer version wins. In the runner's events a version's
/// <c>created</c> is unique, so (final, version) orders them the way the grain does.
/// </summary>
public readonly record struct SubscriptionVersion(bool Final, int Version, string Status)
{
    public static SubscriptionVersion None { get; } = new(false, 0, "none");

    public static bool IsFinal(string status) => status is "canceled" or "incomplete_expired";

    public static SubscriptionVersion Of(string status, int version) => new(IsFinal(status), version, status);

    /// <summary>The state the grain ends at after every one of <paramref name="events"/>, in any order.</summary>
    public static SubscriptionVersion Expected(IEnumerable<StripeEventRecord> events) =>
        events.Select(e => Of(e.Status, e.Version)).DefaultIfEmpty(None).Max(Comparer<SubscriptionVersion>.Create(Compare));

    /// <summary>Negative when <paramref name="a"/> is before <paramref name="b"/>: showing b after a is moving forward.</summary>
    public static int Compare(SubscriptionVersion a, SubscriptionVersion b) =>
        a.Final != b.Final ? a.Final.CompareTo(b.Final) : a.Version.CompareTo(b.Version);

    public override string ToString() => Version == 0 ? "none" : $"{Status} v{Version}";
}
