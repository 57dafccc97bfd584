using System.Text.Json.Serialization;
using Platform.Api.Audit;
using Platform.Api.Common;
using Platform.Api.Payments;
using Platform.Api.Usage;
using Platform.Api.Webhooks;
using Platform.Grains.Interfaces.DataProtection;

namespace Platform.Api.Customers;

/// <summary>
/// GET /v1/customers/{id}/export: one document with everything held about the customer, each part in
/// the shape its own route returns (so a reader of the API reads the export).
/// </summary>
public sealed record CustomerExportResource(
    CustomerResource Customer,
    IReadOnlyList<CustomerApiKeyResource> ApiKeys,
    UsageSummaryResource? Usage,
    IReadOnlyList<PaymentIntentResource> Payments,
    IReadOnlyList<EventResource> Events,
    IReadOnlyList<AuditEventResource> AuditEvents,
    CustomerErasureResource? Erasure,
    long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "customer_export";

    public static CustomerExportResource From(CustomerExport export) => new(
        CustomerResource.From(export.Customer),
        export.ApiKeys.OrderByDescending(k => k.Created).Select(k => CustomerApiKeyResource.From(export.Customer.Id, k)).ToArray(),
        export.Usage is { } usage ? UsageSummaryResource.Of(export.Customer.Id, usage) : null,
        // Never a client secret in an export: it would let its holder finish the payment.
        export.Payments.Select(p => PaymentIntentResource.From(p with { ClientSecret = null })).ToArray(),
        export.Events.Select(EventResource.From).ToArray(),
        export.AuditEntries.Select(AuditEventResource.From).ToArray(),
        export.Erasure is { } erasure ? CustomerErasureResource.From(erasure) : null,
        UnixTime.Seconds(export.Generated));
}

/// <param name="Status"><c>in_progress</c> (resumed automatically until done) or <c>completed</c>.</param>
/// <param name="StepsCompleted">Of <c>record</c>, <c>usage</c>, <c>events</c>, <c>stripe</c>, <c>audit</c>, in that order.</param>
public sealed record CustomerErasureResource(
    string Customer, string Status, IReadOnlyList<string> StepsCompleted, long Requested, long? Completed, int Attempts, string? LastError)
{
    [JsonPropertyOrder(-1)]
    public string Object => "customer_erasure";

    public const string InProgress = "in_progress";

    public static CustomerErasureResource From(CustomerErasure erasure) => new(
        erasure.CustomerId,
        erasure.Status == ErasureStatus.Completed ? "completed" : InProgress,
        erasure.StepsCompleted.Select(StepName).ToArray(),
        UnixTime.Seconds(erasure.Requested),
        erasure.Completed is { } at ? UnixTime.Seconds(at) : null,
        erasure.Attempts,
        erasure.LastError);

    private static string StepName(ErasureStep step) => step switch
    {
        ErasureStep.Record => "record",
        ErasureStep.Usage => "usage",
        ErasureStep.Events => "events",
        ErasureStep.Stripe => "stripe",
        ErasureStep.Audit => "audit",
        _ => step.ToString().ToLowerInvariant(),
    };
}
