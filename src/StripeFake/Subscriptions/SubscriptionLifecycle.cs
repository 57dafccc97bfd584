using System.Text.Json.Nodes;
using Platform.StripeFake.Invoices;
using Platform.StripeFake.Products;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Subscriptions;

/// <summary>
/// Subscriptions as the platform drives them: create (trialing or active, with the first invoice), change
/// items, cancel. Status moves are in <see cref="SubscriptionStatusMoves"/>, period ends in <see cref="SubscriptionPeriods"/>.
/// </summary>
internal static class SubscriptionLifecycle
{
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
        var trialEnd = trialDays is > 0 ? now + (trialDays.Value * SubscriptionItems.SecondsPerDay) : (long?)null;
        var periodEnd = trialEnd ?? now + SubscriptionItems.PeriodSeconds(services, items[0].Price);
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
            ["currency"] = (string?)PriceCatalog.Price(services, items[0].Price)["currency"] ?? "usd",
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
            SubscriptionItems.Add(services, subscription, item);
        }

        if (metadata is not null)
        {
            Metadata.Apply(subscription, metadata);
        }

        services.State.Add(subscription, request.IdempotencyKey);
        services.Publish("customer.subscription.created", subscription, request);
        var paid = InvoiceLicensed(services, subscription, trial: trialEnd is not null, "subscription_create", request);
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
            var existing = itemId is null ? null : SubscriptionItems.All(subscription).FirstOrDefault(i => (string?)i["id"] == itemId)
                ?? throw StripeApiException.InvalidRequest($"No such subscription item: '{itemId}'", "items", "resource_missing");
            if (existing is not null && FormRequest.GetBool(item, "deleted") == true)
            {
                SubscriptionItems.Array(subscription).Remove(existing);
                continue;
            }

            var price = FormRequest.GetString(item, "price");
            var quantity = FormRequest.GetLong(item, "quantity");
            if (existing is null)
            {
                SubscriptionItems.Add(services, subscription, new SubscriptionItemSpec(
                    price ?? throw StripeApiException.InvalidRequest("Missing required param: items[0][price].", "items", "parameter_missing"),
                    quantity));
                continue;
            }

            if (price is not null)
            {
                existing["price"] = PriceCatalog.Price(services, price);
            }

            if (quantity is not null)
            {
                if (PriceCatalog.IsMetered(existing["price"]))
                {
                    throw StripeApiException.InvalidRequest("Quantity should not be specified where usage_type is `metered`. Remove quantity from the item.", "items");
                }

                existing["quantity"] = quantity;
            }
        }

        ((JsonObject)subscription["items"]!)["total_count"] = SubscriptionItems.Array(subscription).Count;
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
            InvoiceLicensed(services, subscription, trial: false, "subscription_update", request);
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

    public static void TrialWillEnd(FakeServices services, JsonObject subscription, RequestInfo request) =>
        services.Publish("customer.subscription.trial_will_end", subscription, request);

    /// <summary>An invoice of the licensed items for the current period (free in a trial): on create, and on an always_invoice change.</summary>
    private static bool InvoiceLicensed(FakeServices services, JsonObject subscription, bool trial, string reason, RequestInfo request)
    {
        var period = (StripeJson.Long(subscription["current_period_start"]), StripeJson.Long(subscription["current_period_end"]));
        var lines = InvoiceLines.Licensed(subscription, period.Item1, period.Item2, free: trial);
        return SubscriptionInvoices.Bill(services, subscription, lines, reason, period, request);
    }
}
