using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>
/// Usage events in, usage aggregates out. A report is split by customer and each customer's meter grain
/// is called once with its slice (in parallel); the meters log the events exactly once and count them.
/// The tenant comes from the credential and is part of every meter key, so another tenant's customer
/// is simply a customer that does not exist here.
/// </summary>
public static class UsageApi
{
    private const long MaxUnixSeconds = 253_402_300_799;
    private const string UsageEventBatchSchema = "UsageEventBatchRequest";

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/v1/usage_events").WithTags("Usage");
        events.MapPost("/", ReportUsage).WithName("ReportUsageEvents")
            .WithSummary("Report one usage event, or a batch of up to 1,000 as {\"events\": [...]}")
            .RequireAuthorization(Policies.TenantWriteOrCustomer)
            .RequireRateLimit(RateLimitPolicies.Usage)
            .AddOpenApiOperationTransformer(DescribeReportBodyAsync);
        events.MapDelete("/", DeleteUsageEvents).WithName("DeleteUsageEvents")
            .WithSummary("Delete usage log rows dated before a cut-off (retention)")
            .RequireAuthorization(Policies.PlatformAdmin)
            .RequireRateLimit(RateLimitPolicies.Admin);
        events.MapGet("/dead_letters", ListDeadLetters).WithName("ListUsageDeadLetters")
            .WithSummary("Usage events that forwarding to Stripe gave up on (refused for good), newest first")
            .RequireAuthorization(Policies.PlatformOrTenantAdmin)
            .RequireRateLimit(RateLimitPolicies.Admin);
        app.MapGet("/v1/customers/{id}/usage", GetUsage).WithTags("Usage").WithName("GetCustomerUsage")
            .WithSummary("A customer's usage per metric: the current period, or a range")
            .RequireAuthorization(Policies.TenantReadOrCustomer);
        return app;
    }

    /// <summary>The body is read by hand (a JsonElement, so a batch answers per event); the document names its two shapes.</summary>
    private static async Task DescribeReportBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[nameof(UsageEventRequest)] = await context.GetOrCreateSchemaAsync(typeof(UsageEventRequest), null, cancellationToken);
        document.Components.Schemas[UsageEventBatchSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"A batch of 1 to {UsageRules.MaxEventsPerRequest} usage events; each is answered on its own.",
            Required = new HashSet<string> { "events" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["events"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    MinItems = 1,
                    MaxItems = UsageRules.MaxEventsPerRequest,
                    Items = new OpenApiSchemaReference(nameof(UsageEventRequest), document),
                },
            },
            AdditionalPropertiesAllowed = false,
        };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"One usage event, or {{\"events\": [...]}} with 1 to {UsageRules.MaxEventsPerRequest} of them.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        OneOf =
                        [
                            new OpenApiSchemaReference(nameof(UsageEventRequest), document),
                            new OpenApiSchemaReference(UsageEventBatchSchema, document),
                        ],
                    },
                },
            },
        };
    }

    public static async Task<Results<Ok<UsageReportResource>, ProblemHttpResult>> ReportUsage(
        [AsParameters] UsageServices services, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Result(400, ErrorCodes.InvalidJson, "The body must be one usage event, or {\"events\": [...]}.");
        }
        var single = !body.TryGetProperty("events", out var list);
        JsonElement[] items;
        if (single)
        {
            items = [body];
        }
        else
        {
            foreach (var member in body.EnumerateObject())
            {
                if (member.Name != "events")
                {
                    return Problems.Invalid(member.Name, "A batch has the single member events; event fields go inside its items.");
                }
            }
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > UsageRules.MaxEventsPerRequest)
            {
                return Problems.Invalid("events", $"events must be an array of 1 to {UsageRules.MaxEventsPerRequest} usage events.");
            }
            items = [.. list.EnumerateArray()];
        }

        var tenantId = services.Http.User.RequireTenantId();
        var ownCustomerId = services.Http.User.CustomerIdOf();
        var results = new UsageEventResultResource[items.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var slices = new Dictionary<string, (List<UsageEvent> Events, List<int> Indexes)>(StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++)
        {
            if (!UsageEventReader.TryRead(items[i], ownCustomerId, out var parsed, out var error))
            {
                results[i] = Rejected(i, UsageEventReader.EventIdOf(items[i]), error);
                continue;
            }
            // The first copy of an event id in a request is the one sent; later copies are duplicates of it.
            if (!seen.Add(parsed.Event.EventId))
            {
                results[i] = new UsageEventResultResource(i, parsed.Event.EventId, UsageEventResultResource.Duplicate, null);
                continue;
            }
            if (!slices.TryGetValue(parsed.CustomerId, out var slice))
            {
                slice = ([], []);
                slices[parsed.CustomerId] = slice;
            }
            slice.Events.Add(parsed.Event);
            slice.Indexes.Add(i);
        }

        await Task.WhenAll(slices.Select(async pair =>
        {
            var (events, indexes) = pair.Value;
            var receipt = await services.Grains.GetGrain<IUsageMeterGrain>(PlatformIds.CustomerKey(tenantId, pair.Key)).ReportUsageAsync(events);
            for (var k = 0; k < indexes.Count; k++)
            {
                var index = indexes[k];
                var eventId = events[k].EventId;
                results[index] = receipt.CustomerErased
                    ? Rejected(index, eventId, UsageEventReader.CustomerErased)
                    : !receipt.CustomerFound
                    ? Rejected(index, eventId, UsageEventReader.NoSuchCustomer)
                    : receipt.Statuses[k] switch
                    {
                        UsageEventStatus.Accepted => new UsageEventResultResource(index, eventId, UsageEventResultResource.Accepted, null),
                        UsageEventStatus.Duplicate => new UsageEventResultResource(index, eventId, UsageEventResultResource.Duplicate, null),
                        UsageEventStatus.TimestampTooFarInPast => Rejected(index, eventId, new UsageEventError(ErrorCodes.TimestampTooFarInPast, "timestamp",
                            $"timestamp is more than {UsageRules.MaxAge.TotalDays:0} days in the past.")),
                        UsageEventStatus.TimestampInFuture => Rejected(index, eventId, new UsageEventError(ErrorCodes.TimestampInFuture, "timestamp",
                            $"timestamp is more than {UsageRules.MaxClockSkew.TotalMinutes:0} minutes in the future.")),
                        UsageEventStatus.PeriodClosed => Rejected(index, eventId, new UsageEventError(ErrorCodes.PeriodClosed, "timestamp",
                            "timestamp falls in a billing period whose invoice is already finalized.")),
                        var unknown => throw new InvalidOperationException($"Unknown usage event status {unknown}."),
                    };
            }
        }));

        // A lone event that was refused is an error of the request itself, as in Stripe's API; in a batch
        // the refusal is one entry among the others, which were kept.
        if (single && results[0].Error is { } refusal)
        {
            return Problems.Result(refusal.Code == ErrorCodes.CustomerErased ? 409 : 400, refusal.Code, refusal.Message, refusal.Param);
        }
        int accepted = 0, duplicate = 0, rejected = 0;
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case UsageEventResultResource.Accepted: accepted++; break;
                case UsageEventResultResource.Duplicate: duplicate++; break;
                default: rejected++; break;
            }
        }
        return TypedResults.Ok(new UsageReportResource(accepted, duplicate, rejected, results));
    }

    public static async Task<Results<Ok<UsageSummaryResource>, ProblemHttpResult>> GetUsage(
        [AsParameters] UsageServices services, string id, [AsParameters] UsageQueryParameters query)
    {
        var ownCustomerId = services.Http.User.CustomerIdOf();
        if (!PlatformIds.IsCustomerId(id) || (ownCustomerId is not null && ownCustomerId != id))
        {
            return Problems.NotFound("customer");
        }
        if (query.Metric is { Length: 0 or > UsageRules.MaxMetricLength })
        {
            return Problems.Invalid("metric", $"metric must be 1 to {UsageRules.MaxMetricLength} characters.");
        }
        if (query.From is null != query.To is null)
        {
            return Problems.Invalid(query.From is null ? "from" : "to", "Give both from and to (Unix seconds), or neither for the current period.");
        }
        if (query.From is < 0 or > MaxUnixSeconds || query.To is < 0 or > MaxUnixSeconds)
        {
            return Problems.Invalid(query.From is < 0 or > MaxUnixSeconds ? "from" : "to", "from and to are seconds since the Unix epoch.");
        }
        var key = PlatformIds.CustomerKey(services.Http.User.RequireTenantId(), id);
        var window = query.From is { } from && query.To is { } to
            ? (DateTimeOffset.FromUnixTimeSeconds(from), DateTimeOffset.FromUnixTimeSeconds(to))
            : await UsageWindow.CurrentAsync(services.Grains, key);
        var usage = await services.Grains.GetGrain<IUsageMeterGrain>(key).GetUsageAsync(new UsageQuery(query.Metric, window?.Item1, window?.Item2));
        return usage is null ? Problems.NotFound("customer") : TypedResults.Ok(UsageSummaryResource.Of(id, usage));
    }

    public static async Task<Results<Ok<UsageRetentionResource>, ProblemHttpResult>> DeleteUsageEvents(
        [AsParameters] UsageServices services, [FromQuery(Name = "before")] long? before)
    {
        if (before is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "before is required: delete rows dated before this Unix time.", "before");
        }
        if (before is < 0 or > MaxUnixSeconds)
        {
            return Problems.Invalid("before", "before is seconds since the Unix epoch.");
        }
        var result = await services.Grains.GetGrain<IUsageRetentionGrain>(0).DeleteBeforeAsync(DateTimeOffset.FromUnixTimeSeconds(before.Value));
        return TypedResults.Ok(UsageRetentionResource.From(result));
    }

    /// <summary>A tenant admin reads its own tenant's; the platform operator names one with <c>?tenant=ten_…</c>.</summary>
    public static async Task<Results<Ok<ListResource<UsageDeadLetterResource>>, ProblemHttpResult>> ListDeadLetters(
        [AsParameters] UsageServices services, [FromQuery(Name = "tenant")] string? tenant, [FromQuery(Name = "limit")] int? limit)
    {
        var tenantId = services.Http.User.TenantIdOf();
        if (tenantId is not null && tenant is not null && tenant != tenantId)
        {
            return Problems.NotFound("tenant");
        }
        tenantId ??= tenant;
        if (tenantId is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "The platform operator names a tenant: tenant=ten_….", "tenant");
        }
        if (!PlatformIds.IsTenantId(tenantId))
        {
            return Problems.Invalid("tenant", "tenant must be a tenant id.");
        }
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "limit must be between 1 and 100.");
        }
        var take = limit ?? 10;
        var letters = await services.Grains.GetGrain<IStripeMeterGrain>(tenantId).ListDeadLettersAsync(take + 1);
        return TypedResults.Ok(new ListResource<UsageDeadLetterResource>("/v1/usage_events/dead_letters", letters.Count > take,
            letters.Take(take).Select(UsageDeadLetterResource.From).ToArray()));
    }

    private static UsageEventResultResource Rejected(int index, string? eventId, UsageEventError error) =>
        new(index, eventId, UsageEventResultResource.Rejected, new UsageEventErrorResource(error.Code, error.Param, error.Message));
}
