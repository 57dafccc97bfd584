using System.Text.Json.Nodes;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Billing;

/// <summary>
/// <c>/v1/billing/meters</c> (Stripe.net's <c>V1.Billing.Meters</c>): create, retrieve, list, update the
/// display name, deactivate and reactivate, and the meter's event summaries per customer. A meter counts the
/// meter events sent under its <c>event_name</c>, for the customer its <c>customer_mapping</c> names.
/// </summary>
internal static class MetersApi
{
    private static readonly string[] _formulas = ["sum", "count", "last"];

    public static IEndpointRouteBuilder MapMetersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/billing/meters").WithTags("Billing");
        group.MapPost("/", CreateAsync).WithName("CreateMeter");
        group.MapGet("/", ListAsync).WithName("ListMeters");
        group.MapGet("/{id}", GetAsync).WithName("GetMeter");
        group.MapPost("/{id}", UpdateAsync).WithName("UpdateMeter");
        group.MapPost("/{id}/deactivate", (string id, HttpContext http, [AsParameters] FakeServices services) => SetStatusAsync(id, "inactive", http, services))
            .WithName("DeactivateMeter");
        group.MapPost("/{id}/reactivate", (string id, HttpContext http, [AsParameters] FakeServices services) => SetStatusAsync(id, "active", http, services))
            .WithName("ReactivateMeter");
        group.MapGet("/{id}/event_summaries", EventSummariesAsync).WithName("ListMeterEventSummaries");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var displayName = form.Require("display_name");
        var eventName = form.Require("event_name");
        var formula = form.GetObject("default_aggregation") is { } aggregation ? FormRequest.GetString(aggregation, "formula") : null;
        if (formula is null)
        {
            throw StripeApiException.InvalidRequest("Missing required param: default_aggregation[formula].", "default_aggregation[formula]", "parameter_missing");
        }

        if (!_formulas.Contains(formula))
        {
            throw StripeApiException.InvalidRequest("Invalid default_aggregation[formula]: must be one of sum, count, or last", "default_aggregation[formula]");
        }

        var mapping = form.GetObject("customer_mapping");
        var mappingType = mapping is null ? "by_id" : FormRequest.GetString(mapping, "type") ?? "by_id";
        if (mappingType != "by_id")
        {
            throw StripeApiException.InvalidRequest("Invalid customer_mapping[type]: must be by_id", "customer_mapping[type]");
        }

        var customerKey = mapping is null ? MeterMapping.DefaultCustomerKey
            : FormRequest.GetString(mapping, "event_payload_key") is { Length: > 0 } key ? key
            : throw StripeApiException.InvalidRequest("Missing required param: customer_mapping[event_payload_key].", "customer_mapping[event_payload_key]", "parameter_missing");
        var valueKey = form.GetObject("value_settings") is { } settings && FormRequest.GetString(settings, "event_payload_key") is { Length: > 0 } valueName
            ? valueName
            : MeterMapping.DefaultValueKey;
        lock (services.State.Sync)
        {
            if (MeterMapping.ActiveMeter(services.State, eventName) is not null)
            {
                throw StripeApiException.InvalidRequest($"An active meter with event_name '{eventName}' already exists.", "event_name", "resource_already_exists");
            }

            var now = services.Now;
            var meter = new JsonObject
            {
                ["id"] = StripeJson.NewId("mtr_test", 32),
                ["object"] = "billing.meter",
                ["created"] = now,
                ["customer_mapping"] = new JsonObject { ["event_payload_key"] = customerKey, ["type"] = mappingType },
                ["default_aggregation"] = new JsonObject { ["formula"] = formula },
                ["display_name"] = displayName,
                ["event_name"] = eventName,
                ["event_time_window"] = form.GetString("event_time_window"),
                ["livemode"] = false,
                ["status"] = "active",
                ["status_transitions"] = new JsonObject { ["deactivated_at"] = null },
                ["updated"] = now,
                ["value_settings"] = new JsonObject { ["event_payload_key"] = valueKey },
            };
            services.State.Add(meter, Webhooks.RequestInfo.From(http).IdempotencyKey);
            return services.Render(meter, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "billing.meter"), form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var status = form.GetString("status");
        lock (services.State.Sync)
        {
            var meters = services.State.ListLive("billing.meter").Where(m => status is null || (string?)m["status"] == status).Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/billing/meters", meters, form));
        }
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            var meter = services.State.Require(id, "billing.meter");
            if (form.GetString("display_name") is { Length: > 0 } displayName)
            {
                meter["display_name"] = displayName;
                meter["updated"] = services.Now;
            }

            return services.Render(meter, form);
        }
    }

    private static async Task<IResult> SetStatusAsync(string id, string status, HttpContext http, FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            var meter = services.State.Require(id, "billing.meter");
            if (status == "active" && (string?)meter["status"] != "active" && MeterMapping.ActiveMeter(services.State, (string)meter["event_name"]!) is not null)
            {
                throw StripeApiException.InvalidRequest($"An active meter with event_name '{meter["event_name"]}' already exists.", "event_name", "resource_already_exists");
            }

            meter["status"] = status;
            meter["status_transitions"] = new JsonObject { ["deactivated_at"] = status == "inactive" ? services.Now : null };
            meter["updated"] = services.Now;
            return services.Render(meter, form);
        }
    }

    /// <summary>
    /// The aggregated value for one customer over <c>[start_time, end_time)</c>, as one summary, or one per
    /// hour or day with <c>value_grouping_window</c>, oldest first.
    /// </summary>
    private static async Task<IResult> EventSummariesAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var customerId = form.Require("customer");
        var start = form.GetLong("start_time") ?? throw StripeApiException.InvalidRequest("Missing required param: start_time.", "start_time", "parameter_missing");
        var end = form.GetLong("end_time") ?? throw StripeApiException.InvalidRequest("Missing required param: end_time.", "end_time", "parameter_missing");
        if (end <= start)
        {
            throw StripeApiException.InvalidRequest("end_time must be after start_time.", "end_time");
        }

        long window = form.GetString("value_grouping_window") switch
        {
            null => end - start,
            "hour" => 3_600,
            "day" => 86_400,
            _ => throw StripeApiException.InvalidRequest("Invalid value_grouping_window: must be one of day or hour", "value_grouping_window"),
        };
        if (window != end - start && (start % window != 0 || end % window != 0))
        {
            throw StripeApiException.InvalidRequest($"start_time and end_time must be aligned to the value_grouping_window ({window} seconds).", "start_time");
        }

        lock (services.State.Sync)
        {
            var meter = services.State.Require(id, "billing.meter");
            var summaries = new List<JsonObject>();
            for (var from = start; from < end; from += window)
            {
                summaries.Add(new JsonObject
                {
                    ["id"] = $"mtrusg_{from}_{customerId}",
                    ["object"] = "billing.meter_event_summary",
                    ["aggregated_value"] = MeterAggregation.Aggregate(services.State, meter, customerId, from, Math.Min(from + window, end)),
                    ["end_time"] = Math.Min(from + window, end),
                    ["livemode"] = false,
                    ["meter"] = id,
                    ["start_time"] = from,
                });
            }

            return StripeJson.Ok(StripeJson.List($"/v1/billing/meters/{id}/event_summaries", summaries, form));
        }
    }
}
