namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// One customer's recent payments (counts and amounts only), keyed <c>ten_…/cus_…</c>: the single place
/// that decides velocity limits, so every API replica and pci silo sees the same exact figures. Not PCI.
/// A payment is reserved before Stripe is asked (atomically: this grain's turns run one at a time, so
/// concurrent payments can never together exceed a limit), then committed, or released when it was not
/// created. Reserving the same payment again is allowed and counts once.
/// </summary>
[Alias("platform.payment_velocity")]
public interface IPaymentVelocityGrain : IGrainWithStringKey
{
    [Alias("reserve")]
    Task<VelocityDecision> ReserveAsync(string paymentId, long amount, string currency, IReadOnlyList<VelocityLimit> limits);

    [Alias("commit")]
    Task CommitAsync(string paymentId);

    [Alias("release")]
    Task ReleaseAsync(string paymentId);
}
