using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Payments;

/// <summary>
/// Stripe's refund list parameters: <c>payment_intent</c>, <c>created[gte]</c> / <c>created[lte]</c> (Unix seconds,
/// inclusive), <c>limit</c>, <c>starting_after</c>, <c>ending_before</c>. Read as the other filtered lists are.
/// </summary>
public sealed record RefundListQuery(
    [property: FromQuery(Name = "limit")] int? Limit,
    [property: FromQuery(Name = "starting_after")] string? StartingAfter,
    [property: FromQuery(Name = "ending_before")] string? EndingBefore,
    [property: FromQuery(Name = "payment_intent")] string? PaymentIntent,
    [property: FromQuery(Name = "created[gte]")] string? CreatedGte,
    [property: FromQuery(Name = "created[lte]")] string? CreatedLte)
{
    private FilteredListQuery Common => new(Limit, StartingAfter, EndingBefore, Customer: null, Status: null, CreatedGte, CreatedLte);

    public ProblemHttpResult? Validate(out PageRequest page, out ListFilter filter) => Common.Validate([], out page, out filter);

    /// <summary>The cursor that was sent (for its 400) and its name.</summary>
    public (string Param, string? Id) Cursor => Common.Cursor;
}
