using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Invoices;

/// <summary>The filters of GET /v1/invoices: <c>customer</c>, <c>subscription</c>, <c>status</c>.</summary>
public sealed record InvoiceListParameters(
    [property: FromQuery(Name = "customer")] string? Customer,
    [property: FromQuery(Name = "subscription")] string? Subscription,
    [property: FromQuery(Name = "status")] string? Status);
