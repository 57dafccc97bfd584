using Platform.Grains.Interfaces.Usage;
using Stripe.V2.Billing;

namespace Platform.Grains.Pci.Usage;

/// <summary>A usage event with its Stripe form: the meter's event name and the Stripe customer resolved.</summary>
public sealed record PreparedMeterEvent(StripeMeterEvent Event, MeterEventStreamCreateEventOptions Stripe);
