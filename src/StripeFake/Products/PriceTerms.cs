using System.Globalization;
using System.Text.Json.Nodes;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Products;

/// <summary>
/// Reads and validates how a price charges, as Stripe's <c>POST /v1/prices</c> does: <c>billing_scheme</c>
/// (<c>per_unit</c> with <c>unit_amount</c>/<c>unit_amount_decimal</c> and optional <c>transform_quantity</c>, or
/// <c>tiered</c> with <c>tiers_mode</c> and <c>tiers</c>), and <c>recurring</c> (interval, <c>usage_type</c>,
/// <c>meter</c>). Writes the fields onto the price object in Stripe's shape.
/// </summary>
internal static class PriceTerms
{
    private static readonly string[] _intervals = ["day", "week", "month", "year"];

    public static void Apply(FormRequest form, JsonObject price, StripeFakeState state)
    {
        var scheme = form.GetString("billing_scheme") ?? "per_unit";
        if (scheme is not ("per_unit" or "tiered"))
        {
            throw StripeApiException.InvalidRequest("Invalid billing_scheme: must be one of per_unit or tiered", "billing_scheme");
        }

        price["billing_scheme"] = scheme;
        price["recurring"] = Recurring(form, state);
        price["type"] = price["recurring"] is null ? "one_time" : "recurring";
        if (scheme == "tiered")
        {
            if (form.Has("unit_amount") || form.Has("unit_amount_decimal") || form.Has("transform_quantity"))
            {
                throw StripeApiException.InvalidRequest(
                    "unit_amount, unit_amount_decimal and transform_quantity cannot be used with billing_scheme=tiered.",
                    form.Has("transform_quantity") ? "transform_quantity" : "unit_amount");
            }

            if (price["recurring"] is null)
            {
                throw StripeApiException.InvalidRequest("Tiered pricing is only available for recurring prices.", "billing_scheme");
            }

            var mode = form.GetString("tiers_mode");
            if (mode is not ("graduated" or "volume"))
            {
                throw StripeApiException.InvalidRequest("Missing required param: tiers_mode (graduated or volume).", "tiers_mode", "parameter_missing");
            }

            price["tiers_mode"] = mode;
            price["tiers"] = Tiers(form);
            price["unit_amount"] = null;
            price["unit_amount_decimal"] = null;
            price["transform_quantity"] = null;
            return;
        }

        if (form.Has("tiers") || form.Has("tiers_mode"))
        {
            throw StripeApiException.InvalidRequest("tiers and tiers_mode require billing_scheme=tiered.", form.Has("tiers") ? "tiers" : "tiers_mode");
        }

        var (amount, amountDecimal) = UnitAmount(form.Root, "unit_amount", required: true);
        price["tiers_mode"] = null;
        price["unit_amount"] = amount;
        price["unit_amount_decimal"] = amountDecimal;
        price["transform_quantity"] = TransformQuantity(form);
    }

    private static JsonObject? Recurring(FormRequest form, StripeFakeState state)
    {
        if (form.GetObject("recurring") is not { } recurring)
        {
            return null;
        }

        var interval = FormRequest.GetString(recurring, "interval");
        if (!_intervals.Contains(interval))
        {
            throw StripeApiException.InvalidRequest("Invalid recurring[interval]: must be one of day, week, month, or year", "recurring[interval]");
        }

        var usageType = FormRequest.GetString(recurring, "usage_type") ?? "licensed";
        if (usageType is not ("licensed" or "metered"))
        {
            throw StripeApiException.InvalidRequest("Invalid recurring[usage_type]: must be one of licensed or metered", "recurring[usage_type]");
        }

        var meter = FormRequest.GetString(recurring, "meter");
        if (usageType == "metered")
        {
            if (meter is null)
            {
                throw StripeApiException.InvalidRequest(
                    "Metered prices must be backed by a meter: recurring[meter] is required when recurring[usage_type]=metered.", "recurring[meter]", "parameter_missing");
            }

            state.Require(meter, "billing.meter", "recurring[meter]");
        }
        else if (meter is not null)
        {
            throw StripeApiException.InvalidRequest("recurring[meter] can only be set when recurring[usage_type]=metered.", "recurring[meter]");
        }

        return new JsonObject
        {
            ["interval"] = interval,
            ["interval_count"] = FormRequest.GetLong(recurring, "interval_count") ?? 1,
            ["meter"] = meter,
            ["usage_type"] = usageType,
            ["trial_period_days"] = null,
        };
    }

    private static JsonArray Tiers(FormRequest form)
    {
        var tiers = form.GetObjects("tiers");
        if (tiers.Count == 0)
        {
            throw StripeApiException.InvalidRequest("Missing required param: tiers.", "tiers", "parameter_missing");
        }

        var result = new JsonArray();
        long? previous = null;
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var param = $"tiers[{i}][up_to]";
            var upToText = FormRequest.GetString(tier, "up_to")
                ?? throw StripeApiException.InvalidRequest($"Missing required param: {param}.", param, "parameter_missing");
            long? upTo = upToText == "inf" ? null
                : long.TryParse(upToText, NumberStyles.None, CultureInfo.InvariantCulture, out var bound) && bound > 0 ? bound
                : throw StripeApiException.InvalidRequest($"Invalid {param}: must be a positive integer or inf.", param);
            if (upTo is null != (i == tiers.Count - 1))
            {
                throw StripeApiException.InvalidRequest("The last tier, and only the last, must have up_to=inf.", param);
            }

            if (upTo <= previous)
            {
                throw StripeApiException.InvalidRequest("Each tier's up_to must be greater than the previous tier's.", param);
            }

            previous = upTo;
            var (unitAmount, unitAmountDecimal) = UnitAmount(tier, "unit_amount", required: false, $"tiers[{i}]");
            var (flatAmount, flatAmountDecimal) = UnitAmount(tier, "flat_amount", required: false, $"tiers[{i}]");
            if (unitAmountDecimal is null && flatAmountDecimal is null)
            {
                throw StripeApiException.InvalidRequest($"Each tier needs unit_amount or flat_amount: tiers[{i}].", $"tiers[{i}]", "parameter_missing");
            }

            result.Add(new JsonObject
            {
                ["flat_amount"] = flatAmount,
                ["flat_amount_decimal"] = flatAmountDecimal,
                ["unit_amount"] = unitAmount,
                ["unit_amount_decimal"] = unitAmountDecimal,
                ["up_to"] = upTo,
            });
        }

        return result;
    }

    private static JsonObject? TransformQuantity(FormRequest form)
    {
        if (form.GetObject("transform_quantity") is not { } transform)
        {
            return null;
        }

        var divideBy = FormRequest.GetLong(transform, "divide_by");
        if (divideBy is not > 0)
        {
            throw StripeApiException.InvalidRequest("transform_quantity[divide_by] must be a positive integer.", "transform_quantity[divide_by]");
        }

        var round = FormRequest.GetString(transform, "round");
        if (round is not ("up" or "down"))
        {
            throw StripeApiException.InvalidRequest("Invalid transform_quantity[round]: must be one of up or down", "transform_quantity[round]");
        }

        return new JsonObject { ["divide_by"] = divideBy, ["round"] = round };
    }

    /// <summary>An amount given as <c>name</c> (integer) or <c>name_decimal</c> (at most 12 decimal places), never both.</summary>
    private static (long? Amount, string? Decimal) UnitAmount(JsonObject source, string name, bool required, string prefix = "")
    {
        var param = prefix.Length == 0 ? name : $"{prefix}[{name}]";
        var whole = FormRequest.GetLong(source, name);
        var text = FormRequest.GetString(source, name + "_decimal");
        if (whole is not null && text is not null)
        {
            throw StripeApiException.InvalidRequest($"Only one of {name} and {name}_decimal can be set.", param);
        }

        if (whole is < 0)
        {
            throw StripeApiException.InvalidRequest("This value must be greater than or equal to 0.", param, "parameter_invalid_integer");
        }

        if (text is not null)
        {
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) || decimal.Round(parsed, 12) != parsed)
            {
                throw StripeApiException.InvalidRequest($"Invalid decimal: {text} (at most 12 decimal places, not negative).", param + "_decimal");
            }

            return (decimal.Truncate(parsed) == parsed ? (long)parsed : null, parsed.ToString(CultureInfo.InvariantCulture));
        }

        if (whole is null)
        {
            return required
                ? throw StripeApiException.InvalidRequest($"Missing required param: {param}.", param, "parameter_missing")
                : (null, null);
        }

        return (whole, whole.Value.ToString(CultureInfo.InvariantCulture));
    }
}
