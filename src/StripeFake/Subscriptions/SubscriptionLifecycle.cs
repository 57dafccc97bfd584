using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Subscriptions;

/// <summary>
/// Subscriptions and the invoices they produce, enough for the platform: create (trialing or active),
/// change items, cancel, and move between statuses with the events Stripe sends for each move.
/// </summary>
internal static class SubscriptionLifecycle
{
    private const long SecondsPerDay = 86_400;
    private const long Month = 30 * SecondsPerDay;

    public const string ProrationBehaviorKey = "proration_behavior";

    public static JsonObject Create(
        FakeServices services,
        string customerId,
        IReadOnlyList<SubscriptionItemSpec> items,
        long? trialDays,
        JsonNode? metadata,
        string? defaultPaymentMethod,
        RequestInfo request)
    {
        services.State.Require(customerId, "customer", "customer");
        if (items.Count == 0)
        {
            throw StripeApiException.InvalidRequest("Missing required param: items.", "items", "parameter_missing");
        }

        var now = services.Now;
        var id = StripeJson.NewId("sub");
        var trialEnd = trialDays is > 0 ? now + (trialDays.Value * SecondsPerDay) : (long?)null;
        var periodEnd = trialEnd ?? now + PeriodSeconds(services, items[0].Price);
        var subscription = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["application"] = null,
            ["billing_cycle_anchor"] = periodEnd,
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = null },
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
            ["currency"] = (string?)Price(services, items[0].Price)["currency"] ?? "usd",
            ["current_period_end"] = periodEnd,
            ["current_period_start"] = now,
            ["customer"] = customerId,
            ["days_until_due"] = null,
            ["default_payment_method"] = defaultPaymentMethod,
            ["description"] = null,
            ["discounts"] = new JsonArray(),
            ["ended_at"] = null,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(),
                ["has_more"] = false,
                ["total_count"] = 0,
                ["url"] = $"/v1/subscription_items?subscription={id}",
            },
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["pending_update"] = null,
            ["start_date"] = now,
            ["status"] = trialEnd is null ? "active" : "trialing",
            ["trial_end"] = trialEnd,
            ["trial_start"] = trialEnd is null ? null : now,
        };
        foreach (var item in items)
        {
            AddItem(services, subscription, item);
        }

        if (metadata is not null)
        {
            Metadata.Apply(subscription, metadata);
        }

        services.State.Add(subscription, request.IdempotencyKey);
        services.Publish("customer.subscription.created", subscription, request);
        var paid = Invoice(services, subscription, trialEnd is null ? Total(subscription) : 0, "subscription_create", request);
        if (!paid)
        {
            var before = (JsonObject)subscription.DeepClone();
            subscription["status"] = "incomplete";
            services.Publish("customer.subscription.updated", subscription, request, PreviousAttributes.Compute(before, subscription));
        }

        return subscription;
    }

    public static void Update(FakeServices services, JsonObject subscription, FormRequest form, RequestInfo request)
    {
        if ((string?)subscription["status"] == "canceled")
        {
            throw StripeApiException.InvalidRequest(
                "A canceled subscription can only update its cancellation_details and metadata.", null, "resource_missing");
        }

        var before = (JsonObject)subscription.DeepClone();
        foreach (var item in form.GetObjects("items"))
        {
            var itemId = FormRequest.GetString(item, "id");
            var existing = itemId is null ? null : Items(subscription).FirstOrDefault(i => (string?)i["id"] == itemId)
                ?? throw StripeApiException.InvalidRequest($"No such subscription item: '{itemId}'", "items", "resource_missing");
            if (existing is not null && FormRequest.GetBool(item, "deleted") == true)
            {
                ItemArray(subscription).Remove(existing);
                continue;
            }

            var price = FormRequest.GetString(item, "price");
            var quantity = FormRequest.GetLong(item, "quantity");
            if (existing is null)
            {
                AddItem(services, subscription, new SubscriptionItemSpec(
                    price ?? throw StripeApiException.InvalidRequest("Missing required param: items[0][price].", "items", "parameter_missing"),
                    quantity ?? 1));
                continue;
            }

            if (price is not null)
            {
                existing["price"] = Price(services, price);
            }

            if (quantity is not null)
            {
                existing["quantity"] = quantity;
            }
        }

        ((JsonObject)subscription["items"]!)["total_count"] = ItemArray(subscription).Count;
        if (form.GetBool("cancel_at_period_end") is { } atPeriodEnd)
        {
            subscription["cancel_at_period_end"] = atPeriodEnd;
            subscription["cancel_at"] = atPeriodEnd ? subscription["current_period_end"]?.DeepClone() : null;
        }

        if (form.GetString("default_payment_method") is { } paymentMethod)
        {
            subscription["default_payment_method"] = paymentMethod.Length == 0 ? null : paymentMethod;
        }

        if (form.GetString("trial_end") is { } trialEnd)
        {
            var end = trialEnd == "now" ? services.Now : FormRequest.GetLong(form.Root, "trial_end")!.Value;
            subscription["trial_end"] = end;
            if (trialEnd == "now" && (string?)subscription["status"] == "trialing")
            {
                subscription["status"] = "active";
            }
        }

        if (form.Has("metadata"))
        {
            Metadata.Apply(subscription, form.Root["metadata"]);
        }

        var behavior = form.GetString("proration_behavior") ?? "create_prorations";
        if (behavior is not ("create_prorations" or "none" or "always_invoice"))
        {
            throw StripeApiException.InvalidRequest("Invalid proration_behavior: must be one of always_invoice, create_prorations, or none", "proration_behavior");
        }

        // Proration itself is not modelled; what was asked is recorded for tests (StripeFakeState.ProrationBehaviorOf).
        services.State.Internal((string)subscription["id"]!)[ProrationBehaviorKey] = behavior;
        var previous = PreviousAttributes.Compute(before, subscription);
        if (previous.Count > 0)
        {
            services.Publish("customer.subscription.updated", subscription, request, previous);
        }

        if (behavior == "always_invoice" && previous.ContainsKey("items"))
        {
            Invoice(services, subscription, Total(subscription), "subscription_update", request);
        }
    }

    public static void Cancel(FakeServices services, JsonObject subscription, RequestInfo request, string reason = "cancellation_requested")
    {
        if ((string?)subscription["status"] == "canceled")
        {
            return;
        }

        var now = services.Now;
        subscription["status"] = "canceled";
        subscription["canceled_at"] = now;
        subscription["ended_at"] = now;
        subscription["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = reason };
        services.Publish("customer.subscription.deleted", subscription, request);
    }

    /// <summary>Moves a subscription to a status with the events Stripe would send on the way (fake-only).</summary>
    public static void SetStatus(FakeServices services, JsonObject subscription, string status, RequestInfo request)
    {
        var before = (JsonObject)subscription.DeepClone();
        var now = services.Now;
        switch (status)
        {
            case "canceled":
                Cancel(services, subscription, request, "payment_failed");
                return;
            case "active":
                subscription["status"] = "active";
                if ((string?)before["status"] == "trialing")
                {
                    subscription["trial_end"] = now;
                }

                StartPeriod(subscription, now);
                Invoice(services, subscription, Total(subscription), "subscription_cycle", request, forcePaid: true);
                break;
            case "past_due" or "unpaid":
                subscription["status"] = status;
                Invoice(services, subscription, Total(subscription), "subscription_cycle", request, forceFailed: true);
                break;
            case "trialing":
                subscription["status"] = "trialing";
                subscription["trial_start"] = now;
                subscription["trial_end"] = now + (7 * SecondsPerDay);
                subscription["current_period_end"] = now + (7 * SecondsPerDay);
                break;
            case "incomplete" or "incomplete_expired" or "paused":
                subscription["status"] = status;
                break;
            default:
                throw StripeApiException.InvalidRequest($"Invalid status: must be one of trialing, active, past_due, unpaid, canceled, incomplete, incomplete_expired or paused.", "status");
        }

        services.Publish("customer.subscription.updated", subscription, request, PreviousAttributes.Compute(before, subscription));
    }

    public static void TrialWillEnd(FakeServices services, JsonObject subscription, RequestInfo request) =>
        services.Publish("customer.subscription.trial_will_end", subscription, request);

    /// <summary>
    /// The price an item charges: one created through <c>/v1/prices</c> as it is (amount, currency, interval),
    /// else a monthly usd price whose amount is configured (<see cref="StripeFakeOptions.PriceAmounts"/>) or the default.
    /// </summary>
    public static JsonObject Price(FakeServices services, string priceId)
    {
        if (services.State.Find(priceId) is { } created && (string?)created["object"] == "price")
        {
            return (JsonObject)created.DeepClone();
        }

        var amount = services.Options.PriceAmounts.TryGetValue(priceId, out var known) ? known : services.Options.DefaultUnitAmount;
        return new JsonObject
        {
            ["id"] = priceId,
            ["object"] = "price",
            ["active"] = true,
            ["billing_scheme"] = "per_unit",
            ["created"] = services.Now,
            ["currency"] = "usd",
            ["livemode"] = false,
            ["lookup_key"] = null,
            ["metadata"] = new JsonObject(),
            ["nickname"] = null,
            ["product"] = "prod_" + priceId.Replace("price_", string.Empty, StringComparison.Ordinal),
            ["recurring"] = new JsonObject
            {
                ["interval"] = "month",
                ["interval_count"] = 1,
                ["meter"] = null,
                ["usage_type"] = "licensed",
                ["trial_period_days"] = null,
            },
            ["tax_behavior"] = "unspecified",
            ["tiers_mode"] = null,
            ["type"] = "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static void AddItem(FakeServices services, JsonObject subscription, SubscriptionItemSpec spec)
    {
        var item = new JsonObject
        {
            ["id"] = StripeJson.NewId("si", 14),
            ["object"] = "subscription_item",
            ["created"] = services.Now,
            ["current_period_end"] = subscription["current_period_end"]?.DeepClone(),
            ["current_period_start"] = subscription["current_period_start"]?.DeepClone(),
            ["discounts"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["price"] = Price(services, spec.Price),
            ["quantity"] = spec.Quantity,
            ["subscription"] = subscription["id"]?.DeepClone(),
            ["tax_rates"] = new JsonArray(),
        };
        ItemArray(subscription).Add(item);
        ((JsonObject)subscription["items"]!)["total_count"] = ItemArray(subscription).Count;
    }

    private static JsonArray ItemArray(JsonObject subscription) => (JsonArray)subscription["items"]!["data"]!;

    private static IEnumerable<JsonObject> Items(JsonObject subscription) => ItemArray(subscription).OfType<JsonObject>();

    private static long Total(JsonObject subscription) =>
        Items(subscription).Sum(i => StripeJson.Long(i["price"]!["unit_amount"]) * StripeJson.Long(i["quantity"]));

    private static void StartPeriod(JsonObject subscription, long now)
    {
        var length = Items(subscription).FirstOrDefault()?["price"]?["recurring"]?["interval"] is { } interval
            ? IntervalSeconds((string?)interval)
            : Month;
        subscription["current_period_start"] = now;
        subscription["current_period_end"] = now + length;
        foreach (var item in Items(subscription))
        {
            item["current_period_start"] = now;
            item["current_period_end"] = now + length;
        }
    }

    private static long PeriodSeconds(FakeServices services, string priceId) =>
        IntervalSeconds((string?)Price(services, priceId)["recurring"]?["interval"]);

    /// <summary>Fixed lengths (a month is 30 days): enough for the platform, which reads periods from the events.</summary>
    private static long IntervalSeconds(string? interval) => interval switch
    {
        "day" => SecondsPerDay,
        "week" => 7 * SecondsPerDay,
        "year" => 365 * SecondsPerDay,
        _ => Month,
    };

    /// <summary>Creates, finalizes and pays (or fails to pay) an invoice; true when paid.</summary>
    private static bool Invoice(
        FakeServices services,
        JsonObject subscription,
        long amount,
        string reason,
        RequestInfo request,
        bool forcePaid = false,
        bool forceFailed = false)
    {
        var now = services.Now;
        var subscriptionId = (string)subscription["id"]!;
        var id = StripeJson.NewId("in");
        var lines = new JsonArray();
        foreach (var item in Items(subscription))
        {
            var lineAmount = amount == 0 ? 0 : StripeJson.Long(item["price"]!["unit_amount"]) * StripeJson.Long(item["quantity"]);
            lines.Add(new JsonObject
            {
                ["id"] = StripeJson.NewId("il"),
                ["object"] = "line_item",
                ["amount"] = lineAmount,
                ["currency"] = subscription["currency"]?.DeepClone(),
                ["description"] = $"{item["quantity"]} × {item["price"]!["id"]}",
                ["invoice"] = id,
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["period"] = new JsonObject { ["start"] = subscription["current_period_start"]?.DeepClone(), ["end"] = subscription["current_period_end"]?.DeepClone() },
                ["pricing"] = new JsonObject { ["price_details"] = new JsonObject { ["price"] = item["price"]!["id"]?.DeepClone(), ["product"] = item["price"]!["product"]?.DeepClone() }, ["type"] = "price_details" },
                ["quantity"] = item["quantity"]?.DeepClone(),
                ["subscription"] = subscriptionId,
            });
        }

        var failed = forceFailed || (!forcePaid && amount > 0 && PaymentMethodDeclines(services, subscription));
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["amount_due"] = amount,
            ["amount_paid"] = 0,
            ["amount_remaining"] = amount,
            ["attempt_count"] = 0,
            ["attempted"] = false,
            ["auto_advance"] = true,
            ["billing_reason"] = reason,
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
            ["currency"] = subscription["currency"]?.DeepClone(),
            ["customer"] = subscription["customer"]?.DeepClone(),
            ["description"] = null,
            ["hosted_invoice_url"] = null,
            ["lines"] = new JsonObject { ["object"] = "list", ["data"] = lines, ["has_more"] = false, ["total_count"] = lines.Count, ["url"] = $"/v1/invoices/{id}/lines" },
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["number"] = null,
            ["parent"] = new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = subscription["metadata"]?.DeepClone(), ["subscription"] = subscriptionId },
                ["type"] = "subscription_details",
            },
            ["period_end"] = subscription["current_period_end"]?.DeepClone(),
            ["period_start"] = subscription["current_period_start"]?.DeepClone(),
            ["status"] = "draft",
            ["status_transitions"] = new JsonObject { ["finalized_at"] = null, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null },
            ["subscription"] = subscriptionId,
            ["subtotal"] = amount,
            ["total"] = amount,
        };
        services.State.Add(invoice, null);
        subscription["latest_invoice"] = id;
        services.Publish("invoice.created", invoice, request);
        invoice["status"] = "open";
        invoice["number"] = "FAKE-" + id[^6..].ToUpperInvariant();
        invoice["status_transitions"]!["finalized_at"] = now;
        services.Publish("invoice.finalized", invoice, request, new JsonObject { ["status"] = "draft" });
        invoice["attempted"] = amount > 0;
        invoice["attempt_count"] = amount > 0 ? 1 : 0;
        if (failed)
        {
            invoice["next_payment_attempt"] = now + (3 * SecondsPerDay);
            services.Publish("invoice.payment_failed", invoice, request);
            return false;
        }

        invoice["status"] = "paid";
        invoice["amount_paid"] = amount;
        invoice["amount_remaining"] = 0;
        invoice["status_transitions"]!["paid_at"] = now;
        services.Publish("invoice.paid", invoice, request, new JsonObject { ["status"] = "open" });
        return true;
    }

    private static bool PaymentMethodDeclines(FakeServices services, JsonObject subscription)
    {
        var paymentMethodId = (string?)subscription["default_payment_method"]
            ?? (string?)services.State.Find((string?)subscription["customer"])?["invoice_settings"]?["default_payment_method"];
        return services.State.Find(paymentMethodId) is { } paymentMethod
            && PaymentMethodsApi.CardOf(services, paymentMethod).Behavior != CardBehavior.Succeeds;
    }
}
