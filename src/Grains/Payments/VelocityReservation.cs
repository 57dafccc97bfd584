namespace Platform.Grains.Payments;

/// <summary>One payment counted against a customer's velocity limits; committed once the payment exists.</summary>
[GenerateSerializer, Alias("platform.velocity_reservation")]
public sealed record VelocityReservation(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] bool Committed);
