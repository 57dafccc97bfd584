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
            Invoice = objectType == "invoice" ? Invoice(data) : null,
        };
    }

    /// <summary>An invoice's number, totals, period, payment state and lines (at most 100; descriptions bounded).</summary>
    private static StripeInvoiceDetails Invoice(JsonElement data)
    {
        var transitions = data.TryGetProperty("status_transitions", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        long? Transition(string name) => transitions.ValueKind == JsonValueKind.Object ? Long(transitions, name) : null;
        var lines = new List<StripeInvoiceLine>();
        if (data.TryGetProperty("lines", out var list) && list.ValueKind == JsonValueKind.Object
            && list.TryGetProperty("data", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var line in items.EnumerateArray().Take(100))
            {
                if (line.ValueKind != JsonValueKind.Object || IdOf(line, "id") is not { } lineId)
                {
                    continue;
                }
                var period = line.TryGetProperty("period", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                lines.Add(new StripeInvoiceLine(lineId, LinePrice(line), Bounded(String(line, "description")),
                    Quantity(line), Long(line, "amount") ?? 0,
                    period.ValueKind == JsonValueKind.Object ? Long(period, "start") : null,
                    period.ValueKind == JsonValueKind.Object ? Long(period, "end") : null));
            }
        }
        return new StripeInvoiceDetails
        {
            Number = Bounded(String(data, "number")),
            Subtotal = Long(data, "subtotal") ?? 0,
            Total = Long(data, "total") ?? 0,
            AmountDue = Long(data, "amount_due") ?? 0,
            AmountPaid = Long(data, "amount_paid") ?? 0,
            AmountRemaining = Long(data, "amount_remaining") ?? 0,
            AttemptCount = (int)Math.Clamp(Long(data, "attempt_count") ?? 0, 0, int.MaxValue),
            PeriodStart = Long(data, "period_start"),
            PeriodEnd = Long(data, "period_end"),
            BillingReason = Bounded(String(data, "billing_reason")),
            CollectionMethod = Bounded(String(data, "collection_method")),
            DueDate = Long(data, "due_date"),
            NextPaymentAttempt = Long(data, "next_payment_attempt"),
            FinalizedAt = Transition("finalized_at"),
            PaidAt = Transition("paid_at"),
            VoidedAt = Transition("voided_at"),
            MarkedUncollectibleAt = Transition("marked_uncollectible_at"),
            Lines = lines,
        };
    }

    /// <summary>The line's price: <c>pricing.price_details.price</c> since 2025, <c>price</c> before.</summary>
    private static string? LinePrice(JsonElement line) =>
        line.TryGetProperty("pricing", out var pricing) && pricing.ValueKind == JsonValueKind.Object
        && pricing.TryGetProperty("price_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? IdOf(details, "price")
            : IdOf(line, "price");

    private static decimal Quantity(JsonElement line) =>
        String(line, "quantity_decimal") is { } text && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var exact)
            ? exact
            : Long(line, "quantity") ?? 0;

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
