using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Api.Webhooks;

/// <summary>
/// Outgoing webhooks: a tenant's endpoints, their deliveries, and the event log. As everywhere, the
/// tenant comes from the credential and is part of every grain key, so another tenant's ids name
/// nothing here (404). Secrets are shown only by create and rotate_secret, which need a tenant admin.
/// </summary>
public static class WebhooksApi
{
    private const int MaxUrlLength = 2048;
    private const int MaxDescriptionLength = 1000;
    private const int MaxEnabledEvents = 50;
    private const long DefaultOverlapSeconds = 24 * 60 * 60;
    private const long MaxOverlapSeconds = 7 * 24 * 60 * 60;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/v1/webhook_endpoints").WithTags("Webhooks");
        endpoints.MapPost("/", CreateWebhookEndpoint).WithName("CreateWebhookEndpoint")
            .WithSummary("Subscribe a URL to events; the signing secret (whsec_…) is shown once")
            .RequireAuthorization(Policies.TenantAdmin);
        endpoints.MapGet("/", ListWebhookEndpoints).WithName("ListWebhookEndpoints").WithSummary("List webhook endpoints, newest first")
            .RequireAuthorization(Policies.TenantRead);
        endpoints.MapGet("/{endpointId}", GetWebhookEndpoint).WithName("GetWebhookEndpoint").WithSummary("Retrieve a webhook endpoint")
            .RequireAuthorization(Policies.TenantRead);
        endpoints.MapDelete("/{endpointId}", DeleteWebhookEndpoint).WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete a webhook endpoint; its pending deliveries end as failed")
            .RequireAuthorization(Policies.TenantAdmin);
        endpoints.MapPost("/{endpointId}/rotate_secret", RotateWebhookSecret).WithName("RotateWebhookSecret")
            .WithSummary("Issue a new signing secret; the old one keeps signing too for overlap_seconds (default 24 h)")
            .RequireAuthorization(Policies.TenantAdmin);
        endpoints.MapGet("/{endpointId}/deliveries", ListWebhookDeliveries).WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries with attempts, status codes and latency; status=pending|succeeded|failed")
            .RequireAuthorization(Policies.TenantRead);

        app.MapPost("/v1/webhook_deliveries/{deliveryId}/retry", RetryWebhookDelivery).WithTags("Webhooks")
            .WithName("RetryWebhookDelivery").WithSummary("Send a failed delivery once more, now")
            .RequireAuthorization(Policies.TenantWrite);

        var events = app.MapGroup("/v1/events").WithTags("Events");
        events.MapGet("/", ListEvents).WithName("ListEvents").WithSummary("List events of the last 30 days, newest first; type= filters")
            .RequireAuthorization(Policies.TenantRead);
        events.MapGet("/{eventId}", GetEvent).WithName("GetEvent").WithSummary("Retrieve an event")
            .RequireAuthorization(Policies.TenantRead);
        return app;
    }

    public static async Task<Results<Ok<IssuedWebhookEndpointResource>, ProblemHttpResult>> CreateWebhookEndpoint(
        [AsParameters] WebhookServices services, CreateWebhookEndpointRequest request)
    {
        if (request.Url is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "url is required.", "url");
        }
        if (request.EnabledEvents is null || request.EnabledEvents.Count == 0)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "enabled_events is required: a list of event types, or [\"*\"] for all.", "enabled_events");
        }
        if ((Validation.Text("url", request.Url, MaxUrlLength)
             ?? Validation.Text("description", request.Description, MaxDescriptionLength)
             ?? EnabledEvents(request.EnabledEvents)) is { } invalid)
        {
            return invalid;
        }
        var tenantId = services.Http.User.RequireTenantId();
        var endpointId = PlatformIds.NewWebhookEndpointId();
        var draft = new WebhookEndpointDraft(request.Url, request.EnabledEvents.Distinct().ToArray(), request.Description);
        var issued = await Endpoint(services, tenantId, endpointId).CreateAsync(draft);
        return TypedResults.Ok(IssuedWebhookEndpointResource.From(issued));
    }

    public static async Task<Results<Ok<ListResource<WebhookEndpointResource>>, ProblemHttpResult>> ListWebhookEndpoints(
        [AsParameters] WebhookServices services, [AsParameters] ListQuery query)
    {
        if (query.Validate(PlatformIds.IsWebhookEndpointId, out var page) is { } invalid)
        {
            return invalid;
        }
        var tenantId = services.Http.User.RequireTenantId();
        var ids = await services.Grains.GetGrain<ITenantEventsGrain>(tenantId).ListEndpointIdsAsync();
        var endpoints = await Task.WhenAll(ids.Select(id => Endpoint(services, tenantId, id).GetAsync()));
        // At most Webhooks:MaxEndpointsPerTenant (16): paged here, newest first (subscribed order breaks ties).
        var newestFirst = endpoints.OfType<WebhookEndpointSnapshot>().Reverse().OrderByDescending(e => e.Created).ToList();
        var start = 0;
        if (page.StartingAfter is { } cursor)
        {
            var at = newestFirst.FindIndex(e => e.Id == cursor);
            if (at < 0)
            {
                return FilteredListQuery.UnknownCursor("starting_after");
            }
            start = at + 1;
        }
        var items = newestFirst.Skip(start).Take(page.Limit).Select(WebhookEndpointResource.From).ToArray();
        return TypedResults.Ok(new ListResource<WebhookEndpointResource>("/v1/webhook_endpoints", newestFirst.Count > start + page.Limit, items));
    }

    public static async Task<Results<Ok<WebhookEndpointResource>, ProblemHttpResult>> GetWebhookEndpoint(
        [AsParameters] WebhookServices services, string endpointId)
    {
        var endpoint = PlatformIds.IsWebhookEndpointId(endpointId)
            ? await Endpoint(services, services.Http.User.RequireTenantId(), endpointId).GetAsync()
            : null;
        return endpoint is null ? Problems.NotFound("webhook endpoint") : TypedResults.Ok(WebhookEndpointResource.From(endpoint));
    }

    public static async Task<Results<Ok<DeletedWebhookEndpointResource>, ProblemHttpResult>> DeleteWebhookEndpoint(
        [AsParameters] WebhookServices services, string endpointId)
    {
        var deleted = PlatformIds.IsWebhookEndpointId(endpointId)
            ? await Endpoint(services, services.Http.User.RequireTenantId(), endpointId).DeleteAsync()
            : null;
        return deleted is null ? Problems.NotFound("webhook endpoint") : TypedResults.Ok(new DeletedWebhookEndpointResource(deleted.Id, true));
    }

    public static async Task<Results<Ok<IssuedWebhookEndpointResource>, ProblemHttpResult>> RotateWebhookSecret(
        [AsParameters] WebhookServices services, string endpointId, RotateWebhookSecretRequest? request)
    {
        if (!PlatformIds.IsWebhookEndpointId(endpointId))
        {
            return Problems.NotFound("webhook endpoint");
        }
        var overlap = request?.OverlapSeconds ?? DefaultOverlapSeconds;
        if (overlap is < 0 or > MaxOverlapSeconds)
        {
            return Problems.Invalid("overlap_seconds", $"overlap_seconds must be between 0 and {MaxOverlapSeconds} (7 days).");
        }
        var issued = await Endpoint(services, services.Http.User.RequireTenantId(), endpointId).RotateSecretAsync(TimeSpan.FromSeconds(overlap));
        return issued is null ? Problems.NotFound("webhook endpoint") : TypedResults.Ok(IssuedWebhookEndpointResource.From(issued));
    }

    public static async Task<Results<Ok<ListResource<WebhookDeliveryResource>>, ProblemHttpResult>> ListWebhookDeliveries(
        [AsParameters] WebhookServices services, string endpointId, [AsParameters] ListQuery query, [FromQuery(Name = "status")] string? status)
    {
        if (!PlatformIds.IsWebhookEndpointId(endpointId))
        {
            return Problems.NotFound("webhook endpoint");
        }
        if (query.Validate(PlatformIds.IsWebhookDeliveryId, out var page) is { } invalid)
        {
            return invalid;
        }
        var parsed = WebhookDeliveryResource.ParseStatus(status);
        if (status is not null && parsed is null)
        {
            return Problems.Invalid("status", "status must be pending, succeeded or failed.");
        }
        var result = await Endpoint(services, services.Http.User.RequireTenantId(), endpointId).ListDeliveriesAsync(new DeliveryQuery(parsed, page));
        return result is null
            ? Problems.NotFound("webhook endpoint")
            : TypedResults.Ok(new ListResource<WebhookDeliveryResource>($"/v1/webhook_endpoints/{endpointId}/deliveries", result.HasMore,
                result.Items.Select(WebhookDeliveryResource.From).ToArray()));
    }

    public static async Task<Results<Ok<WebhookDeliveryResource>, ProblemHttpResult>> RetryWebhookDelivery(
        [AsParameters] WebhookServices services, string deliveryId)
    {
        var retried = PlatformIds.IsWebhookDeliveryId(deliveryId)
            ? await services.Grains.GetGrain<ITenantEventsGrain>(services.Http.User.RequireTenantId()).RetryDeliveryAsync(deliveryId)
            : null;
        return retried is null ? Problems.NotFound("webhook delivery") : TypedResults.Ok(WebhookDeliveryResource.From(retried));
    }

    public static async Task<Results<Ok<ListResource<EventResource>>, ProblemHttpResult>> ListEvents(
        [AsParameters] WebhookServices services, [AsParameters] ListQuery query, [FromQuery(Name = "type")] string? type)
    {
        if (query.Validate(PlatformIds.IsEventId, out var page) is { } invalid)
        {
            return invalid;
        }
        if (type is not null && !EventTypes.IsKnown(type))
        {
            return Problems.Invalid("type", $"type must be one of: {string.Join(", ", EventTypes.Known.Order())}.");
        }
        var result = await services.Grains.GetGrain<ITenantEventsGrain>(services.Http.User.RequireTenantId())
            .ListEventsAsync(new EventQuery(type, page));
        return TypedResults.Ok(new ListResource<EventResource>("/v1/events", result.HasMore, result.Items.Select(EventResource.From).ToArray()));
    }

    public static async Task<Results<Ok<EventResource>, ProblemHttpResult>> GetEvent([AsParameters] WebhookServices services, string eventId)
    {
        var found = PlatformIds.IsEventId(eventId)
            ? await services.Grains.GetGrain<ITenantEventsGrain>(services.Http.User.RequireTenantId()).GetEventAsync(eventId)
            : null;
        return found is null ? Problems.NotFound("event") : TypedResults.Ok(EventResource.From(found));
    }

    private static ProblemHttpResult? EnabledEvents(List<string> enabledEvents)
    {
        if (enabledEvents.Count > MaxEnabledEvents)
        {
            return Problems.Invalid("enabled_events", $"enabled_events holds at most {MaxEnabledEvents} types.");
        }
        var unknown = enabledEvents.FirstOrDefault(e => e != EventTypes.All && !EventTypes.IsKnown(e));
        return unknown is null
            ? null
            : Problems.Invalid("enabled_events", $"'{unknown}' is not an event type; use \"*\" or one of: {string.Join(", ", EventTypes.Known.Order())}.");
    }

    private static IWebhookEndpointGrain Endpoint(WebhookServices services, string tenantId, string endpointId) =>
        services.Grains.GetGrain<IWebhookEndpointGrain>(PlatformIds.WebhookEndpointKey(tenantId, endpointId));
}
