using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>
/// An error rendered in Stripe's shape: <c>{ "error": { type, code, decline_code, message, param } }</c>.
/// Handlers throw it; <see cref="StripeErrorMiddleware"/> renders it inside the idempotency scope,
/// so a replayed key returns the same error as the first attempt, as Stripe does.
/// </summary>
internal sealed class StripeApiException(
    int statusCode,
    string type,
    string message,
    string? code = null,
    string? param = null,
    string? declineCode = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Type { get; } = type;

    public string? Code { get; } = code;

    public string? Param { get; } = param;

    public string? DeclineCode { get; } = declineCode;

    /// <summary>Extra members of the error object, such as <c>payment_intent</c> on a card error.</summary>
    public JsonObject Extra { get; } = [];

    public JsonObject ToBody()
    {
        var error = new JsonObject
        {
            ["type"] = Type,
            ["message"] = Message,
        };
        if (Code is not null)
        {
            error["code"] = Code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{Code.Replace('_', '-')}";
        }

        if (DeclineCode is not null)
        {
            error["decline_code"] = DeclineCode;
        }

        if (Param is not null)
        {
            error["param"] = Param;
        }

        foreach (var (key, value) in Extra)
        {
            error[key] = value?.DeepClone();
        }

        return new JsonObject { ["error"] = error };
    }

    public static StripeApiException InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, code, param);

    public static StripeApiException Missing(string id, string param = "id") =>
        new(404, "invalid_request_error", $"No such {Noun(id)}: '{id}'", "resource_missing", param);

    public static StripeApiException UnexpectedState(string message) =>
        new(400, "invalid_request_error", message, "payment_intent_unexpected_state");

    private static string Noun(string id) => id.Split('_')[0] switch
    {
        "cus" => "customer",
        "pi" => "payment_intent",
        "pm" => "PaymentMethod",
        "seti" => "setupintent",
        "sub" => "subscription",
        "cs" => "checkout.session",
        "ch" => "charge",
        "re" => "refund",
        "evt" => "event",
        "in" => "invoice",
        "mtr" => "billing.meter",
        "price" => "price",
        _ => "object",
    };
}
