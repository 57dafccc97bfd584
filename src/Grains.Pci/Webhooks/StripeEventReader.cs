using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.Pci.Webhooks;

/// <summary>
/// Reduces a verified Stripe event to what ordinary grains may see (<see cref="StripeEventData"/>). It reads
/// the raw JSON rather than Stripe.net's typed objects: the fields we need have been stable across API
/// versions, while the typed model follows the library's own version. Card data is never copied: of a
/// payment method only <c>card.brand</c> and <c>card.last4</c>, of everything else ids, status,
/// metadata, amounts and subscription fields.
/// </summary>
public static class StripeEventReader
{
    private const int MaxIdLength = 255;
    private const int MaxMetadataEntries = 50;
    private const int MaxMetadataValueLength = 500;
    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_");
    private static readonly SearchValues<char> TypeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._");

    /// <summary>Throws <see cref="FormatException"/> when the body is not a Stripe event we can record.</summary>
    public static StripeEventData Read(string payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON.", exception);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The body is not a Stripe event object.");
            }
            var id = String(root, "id");
            if (id is null || !id.StartsWith("evt_", StringComparison.Ordinal) || !IsId(id))
            {
                throw new FormatException("The event has no valid id (evt_…).");
            }
            var type = String(root, "type");
            if (type is null || type.Length is 0 or > 100 || type.AsSpan().IndexOfAnyExcept(TypeChars) >= 0)
            {
                throw new FormatException("The event has no valid type.");
            }
            if (Long(root, "created") is not { } created)
            {
                throw new FormatException("The event has no created time.");
            }
            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
                && d.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
            var stripeEvent = new StripeEventData
            {
                Id = id,
                Type = type,
                Created = created,
                Livemode = root.TryGetProperty("livemode", out var live) && live.ValueKind == JsonValueKind.True,
                ApiVersion = Bounded(String(root, "api_version")),
            };
            return data.ValueKind == JsonValueKind.Object ? WithObject(stripeEvent, data) : stripeEvent;
        }
    }

    private static StripeEventData WithObject(StripeEventData stripeEvent, JsonElement data)
    {
        var objectType = Bounded(String(data, "object"));
        var metadata = Metadata(data);
        string? subscription = IdOf(data, "subscription");
        if (objectType == "invoice" && data.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object
            && parent.TryGetProperty("subscription_details", out var details) && details.ValueKind == JsonValueKind.Object)
        {
            // Since 2025 an invoice names its subscription (and that subscription's metadata) under parent.
            subscription ??= IdOf(details, "subscription");
            if (metadata.Count == 0)
            {
                metadata = Metadata(details);
            }
        }
        var items = Items(data);
        var card = objectType == "payment_method" && data.TryGetProperty("card", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        return stripeEvent with
        {
            ObjectType = objectType,
            ObjectId = IdOf(data, "id"),
            Status = Bounded(String(data, "status")),
            Customer = IdOf(data, "customer"),
            Metadata = metadata,
            Amount = Long(data, "amount") ?? Long(data, "amount_total") ?? Long(data, "amount_due"),
            AmountRefunded = Long(data, "amount_refunded"),
            Currency = Bounded(String(data, "currency")),
            PaymentIntent = IdOf(data, "payment_intent"),
            PaymentMethod = IdOf(data, "payment_method"),
            Subscription = objectType == "subscription" ? IdOf(data, "id") : subscription,
            LatestInvoice = IdOf(data, "latest_invoice"),
            ObjectCreated = Long(data, "created"),
            // Since 2025 the period lives on the items; older versions have it on the subscription.
            CurrentPeriodStart = Long(data, "current_period_start") ?? items.Start,
            CurrentPeriodEnd = Long(data, "current_period_end") ?? items.End,
            CancelAtPeriodEnd = data.TryGetProperty("cancel_at_period_end", out var cancel) && cancel.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? cancel.GetBoolean() : null,
            CanceledAt = Long(data, "canceled_at"),
            TrialEnd = Long(data, "trial_end"),
            EndedAt = Long(data, "ended_at"),
            Items = items.List,
            CardBrand = card.ValueKind == JsonValueKind.Object ? Bounded(String(card, "brand")) : null,
            CardLast4 = card.ValueKind == JsonValueKind.Object && String(card, "last4") is { Length: 4 } last4 && last4.All(char.IsAsciiDigit) ? last4 : null,
        };
    }

    private static (IReadOnlyList<StripeEventItem> List, long? Start, long? End) Items(JsonElement data)
    {
        if (!data.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object
            || !items.TryGetProperty("data", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return ([], null, null);
        }
        var result = new List<StripeEventItem>();
        long? start = null, end = null;
        foreach (var item in list.EnumerateArray().Take(100))
        {
            if (item.ValueKind != JsonValueKind.Object || IdOf(item, "id") is not { } itemId)
            {
                continue;
            }
            result.Add(new StripeEventItem(itemId, IdOf(item, "price"), Long(item, "quantity") ?? 1));
            start ??= Long(item, "current_period_start");
            end ??= Long(item, "current_period_end");
        }
        return (result, start, end);
    }

    private static Dictionary<string, string> Metadata(JsonElement data)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.TryGetProperty("metadata", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in element.EnumerateObject().Take(MaxMetadataEntries))
            {
                if (entry.Value.ValueKind == JsonValueKind.String && entry.Name.Length <= 40)
                {
                    var value = entry.Value.GetString()!;
                    metadata[entry.Name] = value.Length <= MaxMetadataValueLength ? value : value[..MaxMetadataValueLength];
                }
            }
        }
        return metadata;
    }

    /// <summary>A Stripe id, whether the field holds the id or the expanded object.</summary>
    private static string? IdOf(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => String(value, "id"),
            _ => null,
        };
        return id is not null && IsId(id) ? id : null;
    }

    private static bool IsId(string id) => id.Length is > 0 and <= MaxIdLength && id.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Bounded(string? value) => value is { Length: <= 100 } ? value : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : element.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String
              && long.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
