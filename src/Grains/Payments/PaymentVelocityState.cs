namespace Platform.Grains.Payments;

/// <summary>A customer's payments of the last day (the longest window), oldest first.</summary>
[GenerateSerializer, Alias("platform.payment_velocity_state")]
public sealed class PaymentVelocityState
{
    [Id(0)] public List<VelocityReservation> Reservations { get; set; } = [];
}
