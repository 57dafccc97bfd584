using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Usage;

/// <summary>GET /v1/customers/{id}/usage: <c>metric</c>, and <c>from</c>/<c>to</c> in Unix seconds (both or neither).</summary>
public sealed record UsageQueryParameters(
    [property: FromQuery(Name = "metric")] string? Metric,
    [property: FromQuery(Name = "from")] long? From,
    [property: FromQuery(Name = "to")] long? To);
