using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.Subscriptions;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Api.Checkout;

/// <summary>
/// Stripe Checkout for plans. This side checks the caller and the input, then makes one call to the PCI
/// <see cref="IStripeSubscriptionGrain"/>, which alone talks to Stripe. The subscription appears (with its plan)
/// when Stripe's events of the completed session arrive: <c>GET /v1/customers/{id}/subscription</c>.
/// </summary>
public static class CheckoutApi
{
    /// <summary>Stripe's limit for success_url and cancel_url.</summary>
    private const int MaxUrlLength = 5000;

    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/checkout/sessions", CreateCheckoutSession).WithTags("Checkout").WithName("CreateCheckoutSession")
            .WithSummary("Sell a plan through Stripe Checkout: a session whose url is Stripe's hosted page")
            .RequireAuthorization(Policies.TenantWrite);
        return app;
    }

    public static async Task<Results<Ok<CheckoutSessionResource>, ProblemHttpResult>> CreateCheckoutSession(
        IGrainFactory grains, HttpContext http, CreateCheckoutSessionRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if ((Validate(request) ?? Validation.IdempotencyKey(idempotencyKey)) is { } invalid)
        {
            return invalid;
        }
        if (await SubscriptionsApi.CustomerKeyAsync(grains, http, request.Customer!) is not { } key)
        {
            return Problems.Invalid("customer", "customer must be the id of one of your customers (cus_…).");
        }
        // Without a client key, the request still gets one key of its own for Stripe (its retries reuse it).
        var requestKey = idempotencyKey ?? http.TraceIdentifier + "/" + Guid.NewGuid().ToString("N");
        var session = await grains.GetGrain<IStripeSubscriptionGrain>(key)
            .CreateCheckoutSessionAsync(new CheckoutDraft(request.Plan!, request.SuccessUrl!, request.CancelUrl!, requestKey));
        return TypedResults.Ok(CheckoutSessionResource.From(session));
    }

    private static ProblemHttpResult? Validate(CreateCheckoutSessionRequest request)
    {
        if (request.Customer is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "customer is required.", "customer");
        }
        if (!PlatformIds.IsCustomerId(request.Customer))
        {
            return Problems.Invalid("customer", "customer must be the id of one of your customers (cus_…).");
        }
        if (request.Plan is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "plan is required.", "plan");
        }
        if (!PlatformIds.IsPlanId(request.Plan))
        {
            return Problems.Invalid("plan", "plan must be the id of one of your plans (plan_…).");
        }
        return Url("success_url", request.SuccessUrl) ?? Url("cancel_url", request.CancelUrl);
    }

    private static ProblemHttpResult? Url(string param, string? value)
    {
        if (value is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, $"{param} is required.", param);
        }
        if (value.Length > MaxUrlLength || value.Any(char.IsControl)
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return Problems.Invalid(param, $"{param} must be an absolute http(s) URL of at most {MaxUrlLength} characters.");
        }
        return null;
    }
}
