namespace Platform.Api.Errors;

/// <summary>The stable <c>code</c> values of our problem details. Clients branch on these; never rename one.</summary>
public static class ErrorCodes
{
    public const string ParameterInvalid = "parameter_invalid";
    public const string ParameterMissing = "parameter_missing";
    public const string CardDeclined = "card_declined";
    public const string InvalidJson = "invalid_json";
    public const string ResourceMissing = "resource_missing";
    public const string RouteNotFound = "route_not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string AuthenticationRequired = "authentication_required";
    public const string InvalidApiKey = "invalid_api_key";
    public const string InsufficientPermissions = "insufficient_permissions";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string IdempotencyKeyInUse = "idempotency_key_in_use";
    public const string ServiceUnavailable = "service_unavailable";
    public const string RateLimited = "rate_limited";
    public const string CardDataForbidden = "card_data_forbidden";
    public const string CardDataInResponse = "card_data_in_response";
    public const string InternalError = "internal_error";
    public const string AddressBlocked = "address_blocked";

    /// <summary>The customer was erased (GDPR): its record keeps ids and financial data only, and takes no more changes or usage.</summary>
    public const string CustomerErased = "customer_erased";

    // Usage events (Stripe's meter event error codes where Stripe has one).
    public const string TimestampTooFarInPast = "timestamp_too_far_in_past";
    public const string TimestampInFuture = "timestamp_in_future";

    /// <summary>A usage event dated in a period whose invoice is finalized (docs/INVOICES.md).</summary>
    public const string PeriodClosed = Grains.Interfaces.Invoices.InvoiceErrorCodes.PeriodClosed;

    /// <summary>The invoice's status does not allow the change (a finalized invoice's lines and totals never change).</summary>
    public const string InvoiceNotEditable = Grains.Interfaces.Invoices.InvoiceErrorCodes.InvoiceNotEditable;
}
