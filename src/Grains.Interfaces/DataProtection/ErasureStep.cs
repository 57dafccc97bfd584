namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>The steps of a customer erasure, run in this order. Stored values: never reuse one.</summary>
public enum ErasureStep
{
    /// <summary>The customer record: personal fields blanked, keys revoked, data key shredded.</summary>
    Record = 1,

    /// <summary>Usage log property values pseudonymized; the meter stops taking usage.</summary>
    Usage = 2,

    /// <summary>The customer's own events in the event log anonymized.</summary>
    Events = 3,

    /// <summary>The Stripe customer deleted (through the PCI grain).</summary>
    Stripe = 4,

    /// <summary>The <c>customer.erased</c> audit entry.</summary>
    Audit = 5,

    /// <summary>The subscription ended (at Stripe too when Stripe manages it) and the entitlements dropped; runs before <see cref="Stripe"/>.</summary>
    Subscription = 6,
}
