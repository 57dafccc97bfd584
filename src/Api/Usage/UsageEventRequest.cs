using Platform.Api.OpenApi;

namespace Platform.Api.Usage;

/// <summary>
/// One usage event as <c>POST /v1/usage_events</c> takes it. The handler reads the body itself (UsageEventReader,
/// one refusal per event in a batch), so this type only describes the wire for the OpenAPI document.
/// </summary>
/// <param name="EventId">Your id of the event (1 to 100 printable characters): a retried event counts once.</param>
/// <param name="Customer">The <c>cus_…</c> id the usage belongs to; a customer key may leave it out (its own).</param>
/// <param name="Metric">The billable metric, as a plan's usage charge names it.</param>
/// <param name="Quantity">How much, 0 or more, up to 9 decimal places.</param>
/// <param name="Timestamp">When it happened, Unix seconds (default: now); at most 35 days back, 5 minutes ahead.</param>
/// <param name="Properties">Up to 20 string properties, kept with the event.</param>
public sealed record UsageEventRequest(
    [property: RequiredField] string? EventId,
    string? Customer,
    [property: RequiredField] string? Metric,
    [property: RequiredField] decimal? Quantity,
    long? Timestamp,
    Dictionary<string, string>? Properties);
