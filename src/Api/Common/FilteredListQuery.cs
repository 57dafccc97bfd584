using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Common;

/// <summary>
/// Stripe's list parameters for the lists that filter: <c>limit</c>, <c>starting_after</c>, <c>ending_before</c>,
/// <c>customer</c>, <c>status</c>, <c>created[gte]</c> and <c>created[lte]</c> (Unix seconds, inclusive).
/// Numbers arrive as text and are read here, so a malformed one is refused with its own name.
/// </summary>
public sealed record FilteredListQuery(
    [property: FromQuery(Name = "limit")] int? Limit,
    [property: FromQuery(Name = "starting_after")] string? StartingAfter,
    [property: FromQuery(Name = "ending_before")] string? EndingBefore,
    [property: FromQuery(Name = "customer")] string? Customer,
    [property: FromQuery(Name = "status")] string? Status,
    [property: FromQuery(Name = "created[gte]")] string? CreatedGte,
    [property: FromQuery(Name = "created[lte]")] string? CreatedLte)
{
    public ProblemHttpResult? Validate(IReadOnlyCollection<string> statuses, out PageRequest page, out ListFilter filter)
    {
        page = new PageRequest(Limit ?? ListQuery.DefaultLimit, StartingAfter, EndingBefore);
        filter = ListFilter.None;
        if (Limit is < 1 or > ListQuery.MaxLimit)
        {
            return Problems.Invalid("limit", $"limit must be between 1 and {ListQuery.MaxLimit}.");
        }
        if (StartingAfter is not null && EndingBefore is not null)
        {
            return Problems.Invalid("ending_before", "Send starting_after or ending_before, not both.");
        }
        if (Status is not null && !statuses.Contains(Status))
        {
            return Problems.Invalid("status", $"status must be one of {string.Join(", ", statuses)}.");
        }
        if (Time("created[gte]", CreatedGte, out var gte) is { } badGte)
        {
            return badGte;
        }
        if (Time("created[lte]", CreatedLte, out var lte) is { } badLte)
        {
            return badLte;
        }
        filter = new ListFilter(Status, gte, lte);
        return null;
    }

    /// <summary>The cursor that was sent (for its 400) and its name.</summary>
    public (string Param, string? Id) Cursor => EndingBefore is not null ? ("ending_before", EndingBefore) : ("starting_after", StartingAfter);

    public static ProblemHttpResult UnknownCursor(string param) =>
        Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.ResourceMissing, $"{param} names no object in this list.", param);

    private static ProblemHttpResult? Time(string param, string? value, out DateTimeOffset? time)
    {
        time = null;
        if (value is null)
        {
            return null;
        }
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            return Problems.Invalid(param, $"{param} must be a time in Unix seconds.");
        }
        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return null;
    }
}
