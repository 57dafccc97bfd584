using System.Text.Json.Nodes;

namespace Platform.StripeFake.Billing;

/// <summary>
/// Which payload keys name the customer and the value of an event: those of the active meter with the
/// event's <c>event_name</c> (<c>customer_mapping.event_payload_key</c>, <c>value_settings.event_payload_key</c>),
/// else Stripe's defaults <c>stripe_customer_id</c> and <c>value</c> (events sent before any meter exists).
/// </summary>
internal static class MeterMapping
{
    public const string DefaultCustomerKey = "stripe_customer_id";
    public const string DefaultValueKey = "value";

    public static (string CustomerKey, string ValueKey) KeysFor(StripeFakeState state, string eventName) =>
        ActiveMeter(state, eventName) is { } meter
            ? ((string?)meter["customer_mapping"]?["event_payload_key"] ?? DefaultCustomerKey, (string?)meter["value_settings"]?["event_payload_key"] ?? DefaultValueKey)
            : (DefaultCustomerKey, DefaultValueKey);

    public static JsonObject? ActiveMeter(StripeFakeState state, string eventName) =>
        state.ListLive("billing.meter").FirstOrDefault(m => (string?)m["event_name"] == eventName && (string?)m["status"] == "active");
}
