using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Api.StripeWebhooks;

/// <summary>
/// The operator's tools for received Stripe events (platform admin only): list by status, look at one,
/// and replay one (apply it again through its owner: safe, since applying is idempotent and order-proof).
/// </summary>
public static class WebhookEventsApi
{
    public static IEndpointRouteBuilder MapWebhookEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhook_events").WithTags("Stripe")
            .RequireAuthorization(Policies.PlatformAdmin).RequireRateLimit(RateLimitPolicies.Admin);
        group.MapGet("/", ListWebhookEvents).WithName("ListWebhookEvents")
            .WithSummary("List received Stripe events, newest first; status=pending|processed|failed");
        group.MapGet("/{eventId}", GetWebhookEvent).WithName("GetWebhookEvent").WithSummary("Retrieve a received Stripe event");
        group.MapPost("/{eventId}/replay", ReplayWebhookEvent).WithName("ReplayWebhookEvent")
            .WithSummary("Apply a received Stripe event again (idempotent)");
        return app;
    }

    public static async Task<Results<Ok<ListResource<WebhookEventResource>>, ProblemHttpResult>> ListWebhookEvents(
        IGrainFactory grains, [AsParameters] ListQuery query, [FromQuery(Name = "status")] string? status)
    {
        if (query.Validate(IsEventId, out var page) is { } invalid)
        {
            return invalid;
        }
        var parsed = WebhookEventResource.ParseStatus(status);
        if (status is not null && parsed is null)
        {
            return Problems.Invalid("status", "status is one of pending, processed, failed.");
        }
        var result = await Events(grains).ListAsync(parsed, page);
        return TypedResults.Ok(new ListResource<WebhookEventResource>("/v1/webhook_events", result.HasMore,
            result.Items.Select(WebhookEventResource.From).ToArray()));
    }

    public static async Task<Results<Ok<WebhookEventResource>, ProblemHttpResult>> GetWebhookEvent(IGrainFactory grains, string eventId) =>
        IsEventId(eventId) && await Events(grains).GetAsync(eventId) is { } found
            ? TypedResults.Ok(WebhookEventResource.From(found))
            : Problems.NotFound("webhook event");

    public static async Task<Results<Ok<WebhookEventResource>, ProblemHttpResult>> ReplayWebhookEvent(IGrainFactory grains, string eventId) =>
        IsEventId(eventId) && await Events(grains).ReplayAsync(eventId) is { } replayed
            ? TypedResults.Ok(WebhookEventResource.From(replayed))
            : Problems.NotFound("webhook event");

    private static IStripeWebhookEventsGrain Events(IGrainFactory grains) => grains.GetGrain<IStripeWebhookEventsGrain>(0);

    /// <summary>Stripe's event ids: <c>evt_</c> and letters, digits, underscores.</summary>
    private static bool IsEventId(string? id) =>
        id is { Length: > 4 and <= 255 } && id.StartsWith("evt_", StringComparison.Ordinal)
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
