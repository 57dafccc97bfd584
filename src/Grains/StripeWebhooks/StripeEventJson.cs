using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>The stored form of <see cref="StripeEventData"/> (column <c>data</c>): snake_case JSON, nulls left out.</summary>
public static class StripeEventJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(StripeEventData stripeEvent) => JsonSerializer.Serialize(stripeEvent, Options);

    public static StripeEventData Deserialize(string json) =>
        JsonSerializer.Deserialize<StripeEventData>(json, Options) ?? throw new JsonException("A stored Stripe event is null.");
}
