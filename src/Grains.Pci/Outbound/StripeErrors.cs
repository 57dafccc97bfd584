using System.Net;
using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Common;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Stripe;

namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// Turns what a Stripe call throws into our refusals. Codes are Stripe's stable codes where they help the
/// caller (<c>card_declined</c> with its <c>decline_code</c>, <c>amount_too_large</c>); messages are ours,
/// never Stripe's raw text, which can echo request values. Transient failures become 503s a client retries
/// with the same Idempotency-Key.
/// </summary>
public static partial class StripeErrors
{
    public const string CardDeclined = "card_declined";
    public const string PaymentProviderUnavailable = "payment_provider_unavailable";
    public const string PaymentProviderRejected = "payment_provider_rejected";

    /// <summary>Null when <paramref name="exception"/> is not a failure of a call to Stripe.</summary>
    public static PlatformException? Translate(Exception exception, ILogger logger)
    {
        switch (exception)
        {
            case StripeException { StripeError: { } error } stripe:
                LogStripeError(logger, (int)stripe.HttpStatusCode, error.Type, error.Code, error.DeclineCode, error.Param);
                return FromStripeError(stripe.HttpStatusCode, error);
            case StripeException stripe when stripe.InnerException is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException:
            case HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException or OperationCanceledException:
                LogStripeUnreachable(logger, exception.GetType().Name);
                return Unavailable();
            case StripeException stripe:
                LogStripeUnreachable(logger, stripe.GetType().Name);
                return Unavailable();
            default:
                return null;
        }
    }

    public static PlatformException FromStripeError(HttpStatusCode status, StripeError error)
    {
        if (error.Type == "card_error")
        {
            var code = error.Code is { Length: > 0 } c ? c : CardDeclined;
            return new PlatformException(PlatformErrorKind.PaymentFailed, code, CardMessage(code, error.DeclineCode), "payment_method")
            {
                DeclineCode = error.DeclineCode,
            };
        }
        if (status == HttpStatusCode.TooManyRequests || (int)status >= 500 || error.Type is "api_error" or "rate_limit_error")
        {
            return Unavailable();
        }
        if (error.Type is "authentication_error" or "permission_error" || status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // Our key is wrong or lacks a right: an operator's problem, not the caller's; the log says which.
            return Unavailable();
        }
        if (error.Type == "idempotency_error")
        {
            return new PlatformException(PlatformErrorKind.Conflict, "idempotency_key_in_use",
                "This request conflicts with an earlier request of the same payment; retry later or use a new Idempotency-Key.");
        }
        var param = SafeParam(error.Param);
        return error.Code switch
        {
            "resource_missing" => new PlatformException(PlatformErrorKind.NotFound, "resource_missing",
                param is null ? "No such object at the payment provider." : $"No such object for {param}.", param),
            "amount_too_small" or "amount_too_large" or "charge_already_refunded" or "charge_not_refundable"
                or "payment_method_unexpected_state" or "payment_intent_unexpected_state" or "setup_intent_unexpected_state"
                or "parameter_invalid_integer" or "invalid_currency" =>
                new PlatformException(PlatformErrorKind.InvalidRequest, error.Code, Describe(error.Code), param),
            _ => new PlatformException(PlatformErrorKind.InvalidRequest, PaymentProviderRejected,
                "The payment provider rejected the request." + (param is null ? "" : $" Check {param}."), param),
        };
    }

    public static PlatformException Unavailable() =>
        new(PlatformErrorKind.Unavailable, PaymentProviderUnavailable,
            "The payment provider did not answer in time. Retry with the same Idempotency-Key; nothing is charged twice.");

    private static string CardMessage(string code, string? declineCode) => code switch
    {
        "expired_card" => "The card has expired.",
        "incorrect_cvc" => "The card's security code is incorrect.",
        "authentication_required" => "The card requires authentication by the customer.",
        "processing_error" => "The card could not be processed; try again.",
        _ => declineCode is null ? "The card was declined." : $"The card was declined ({declineCode}).",
    };

    private static string Describe(string code) => code switch
    {
        "amount_too_small" => "The amount is below the minimum the payment provider accepts.",
        "amount_too_large" => "The amount is larger than what can be charged or refunded.",
        "charge_already_refunded" => "The payment was already refunded in full.",
        "charge_not_refundable" => "The payment has no successful charge to refund.",
        "payment_method_unexpected_state" => "The payment method is in a state that does not allow this (for example attached to another customer).",
        "payment_intent_unexpected_state" => "The payment is in a state that does not allow this.",
        "setup_intent_unexpected_state" => "The setup intent is in a state that does not allow this.",
        "invalid_currency" => "The currency is not supported.",
        _ => "The payment provider rejected a parameter.",
    };

    // Stripe's param names our own fields (amount, payment_method, customer); anything odd is dropped.
    private static string? SafeParam(string? param) =>
        param is { Length: > 0 and <= 64 } && param.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '[' or ']') ? param : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe refused a request: status {Status}, type {Type}, code {Code}, decline code {DeclineCode}, param {Param}")]
    private static partial void LogStripeError(ILogger logger, int status, string? type, string? code, string? declineCode, string? param);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe could not be reached ({Failure})")]
    private static partial void LogStripeUnreachable(ILogger logger, string failure);
}
