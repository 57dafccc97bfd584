using System.Net;
using System.Text;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Errors;

/// <summary>
/// <c>GET /docs/errors</c>: what every problem document's <c>type</c> points at (<c>/docs/errors#&lt;code&gt;</c>, relative
/// to the API that answered, so it resolves on every deployment and needs no domain of ours). One anchor per code
/// the API itself answers; a feature's own codes (<c>plan_in_use</c>, <c>charge_already_refunded</c>…) come with a
/// <c>detail</c> that says what to do, and land at the top of the page.
/// </summary>
public static class ErrorsPage
{
    public const string Path = ApiDocumentation.DocsPath + "/errors";

    private static readonly (string Code, string Status, string Meaning)[] _codes =
    [
        (ErrorCodes.ParameterInvalid, "400", "A field, header or query parameter has a wrong value; `param` names it."),
        (ErrorCodes.ParameterMissing, "400", "A required field, header or query parameter is missing; `param` names it."),
        (ErrorCodes.InvalidJson, "400", "The body is not JSON of the expected shape (a wrong type, an unknown field); `param` names the field."),
        (ErrorCodes.ResourceMissing, "404 / 400", "No such object, or not yours (404); as a list's `starting_after`/`ending_before`, a cursor that names nothing in the list (400)."),
        (ErrorCodes.CardDataForbidden, "400", "The request held a card number: never send card data; use Stripe Elements or Checkout and send pm_… ids."),
        (ErrorCodes.AuthenticationRequired, "401", "No credential was sent."),
        (ErrorCodes.InvalidApiKey, "401", "The credential is unknown or revoked."),
        (ErrorCodes.CardDeclined, "402", "The card was declined; `detail` and the payment's `last_payment_error` say why."),
        (ErrorCodes.InsufficientPermissions, "403", "The credential's role may not do this."),
        (ErrorCodes.RouteNotFound, "404", "No such route."),
        (ErrorCodes.MethodNotAllowed, "405", "The route exists with other methods."),
        (ErrorCodes.IdempotencyKeyInUse, "409", "The Idempotency-Key was used with another body."),
        (ErrorCodes.CustomerErased, "409", "The customer was erased: it takes no more changes, usage or payments."),
        (ErrorCodes.BodyTooLarge, "413", "Bodies are at most 1 MiB."),
        (ErrorCodes.UnsupportedMediaType, "415", "Send JSON (Content-Type: application/json)."),
        (ErrorCodes.RateLimited, "429", "A rate limit was reached: wait Retry-After seconds; `detail` names the limit and how to raise it."),
        (InvoiceErrorCodes.InvoiceNotEditable, "409", "The invoice's status does not allow this move (a finalized invoice never changes: issue a credit note)."),
        (InvoiceErrorCodes.PeriodClosed, "400", "The usage event is dated in a period whose invoice is finalized."),
        (InvoiceErrorCodes.CurrencyMismatch, "400", "The customer is billed in another currency (fixed by its first invoice), or the plan has no price in it."),
        (InvoiceErrorCodes.CouponExpired, "400", "The coupon was deleted, is past its redeem_by, or reached max_redemptions."),
        (InvoiceErrorCodes.CouponNotApplicable, "400 / 409", "The coupon does not apply to this plan or currency, or to a subscription managed by Stripe."),
        (InvoiceErrorCodes.CreditNoteExceedsInvoice, "400", "The credit note (or one of its lines) would credit more than is left of the invoice (or line)."),
        (InvoiceErrorCodes.CreditNoteAmountInvalid, "400", "The credit note's amount is not positive, or not the sum of its lines."),
        (InvoiceErrorCodes.CreditNoteRefundExceedsPaid, "400", "refund_amount + credit_amount must equal amount, and the refund at most what was paid and not refunded."),
        (InvoiceErrorCodes.CreditNoteNotVoidable, "409", "The credit note's refund was made, or the invoice it lowered is no longer open."),
        (InvoiceErrorCodes.InvoiceItemNotPending, "409", "The invoice item is on an invoice already; correct it with a credit note."),
        (InvoiceErrorCodes.NothingToInvoice, "400", "The customer has no pending invoice items to bill."),
        (ErrorCodes.InternalError, "500", "Our fault: quote `request_id` to support."),
        (ErrorCodes.ServiceUnavailable, "503", "The cluster is briefly unavailable: retry with the same Idempotency-Key."),
    ];

    /// <summary>The <c>type</c> of a problem with <paramref name="code"/>.</summary>
    public static string TypeOf(string code) => Path + "#" + code;

    public static IEndpointRouteBuilder MapErrorsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, () => TypedResults.Content(Html(), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static string Html()
    {
        var page = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Errors · The Platform API</title></head><body>")
            .Append("<h1>Errors</h1><p>Every refusal is an RFC 9457 problem document (<code>application/problem+json</code>) with a stable ")
            .Append("<code>code</code> to branch on, <code>param</code> naming the offending field when there is one, and <code>request_id</code>. ")
            .Append("Codes of a single feature come with a <code>detail</code> that says what to do. The API reference: <a href=\"")
            .Append(ApiDocumentation.DocsPath).Append("\">").Append(ApiDocumentation.DocsPath).Append("</a>.</p><dl>");
        foreach (var (code, status, meaning) in _codes)
        {
            page.Append("<dt id=\"").Append(code).Append("\"><code>").Append(code).Append("</code> (").Append(status).Append(")</dt><dd>")
                .Append(WebUtility.HtmlEncode(meaning)).Append("</dd>");
        }
        return page.Append("</dl></body></html>").ToString();
    }
}
