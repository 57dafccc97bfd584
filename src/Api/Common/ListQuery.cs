using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Common;

/// <summary>The <c>limit</c> (1–100, default 10) and <c>starting_after</c> query parameters of every list.</summary>
public sealed record ListQuery(
    [property: FromQuery(Name = "limit")] int? Limit,
    [property: FromQuery(Name = "starting_after")] string? StartingAfter)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    public ProblemHttpResult? Validate(Func<string?, bool> isId, out PageRequest request)
    {
        request = new PageRequest(Limit ?? DefaultLimit, StartingAfter);
        if (Limit is < 1 or > MaxLimit)
        {
            return Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        }
        if (StartingAfter is not null && !isId(StartingAfter))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.ResourceMissing, "starting_after names no object in this list.", "starting_after");
        }
        return null;
    }
}
