namespace Platform.StripeFake.Billing;

/// <summary>
/// An event the stream accepted and then refused in its asynchronous validation (Stripe reports these in
/// meter error reports, not in the response). <see cref="Code"/> is Stripe's, e.g. <c>meter_event_customer_not_found</c>.
/// </summary>
public sealed record MeterEventError(string Identifier, string EventName, string CustomerId, string Code);
