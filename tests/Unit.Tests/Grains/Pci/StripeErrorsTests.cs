using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Pci.Outbound;
using Stripe;

namespace Platform.Unit.Tests.Grains.Pci;

public sealed class StripeErrorsTests
{
    [Fact]
    public void Translate_CardDecline_IsPaymentFailedWithDeclineCodeAndOurOwnMessage()
    {
        var error = new StripeError { Type = "card_error", Code = "card_declined", DeclineCode = "insufficient_funds", Message = "Your card has insufficient funds. sk_live_leak" };

        var refusal = StripeErrors.Translate(new StripeException(HttpStatusCode.PaymentRequired, error, error.Message), NullLogger.Instance)!;

        Assert.Equal(PlatformErrorKind.PaymentFailed, refusal.Kind);
        Assert.Equal("card_declined", refusal.Code);
        Assert.Equal("insufficient_funds", refusal.DeclineCode);
        Assert.DoesNotContain("sk_live", refusal.Message);
        Assert.DoesNotContain("Your card", refusal.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "invalid_request_error", "rate_limit")]
    [InlineData(HttpStatusCode.InternalServerError, "api_error", null)]
    [InlineData(HttpStatusCode.Unauthorized, "invalid_request_error", null)]
    public void Translate_ThrottlingOutagesAndOurOwnKeyProblems_AreUnavailable(HttpStatusCode status, string type, string? code)
    {
        var error = new StripeError { Type = type, Code = code, Message = "Invalid API Key provided: sk_test_****1234" };

        var refusal = StripeErrors.Translate(new StripeException(status, error, error.Message), NullLogger.Instance)!;

        Assert.Equal(PlatformErrorKind.Unavailable, refusal.Kind);
        Assert.DoesNotContain("sk_", refusal.Message);
    }

    [Fact]
    public void Translate_NetworkFailure_IsUnavailable()
    {
        var refusal = StripeErrors.Translate(new HttpRequestException("connection refused"), NullLogger.Instance)!;

        Assert.Equal(PlatformErrorKind.Unavailable, refusal.Kind);
    }

    [Fact]
    public void Translate_MissingObject_IsNotFoundNamingOurParameter()
    {
        var error = new StripeError { Type = "invalid_request_error", Code = "resource_missing", Param = "payment_method", Message = "No such PaymentMethod: 'pm_x'" };

        var refusal = StripeErrors.Translate(new StripeException(HttpStatusCode.NotFound, error, error.Message), NullLogger.Instance)!;

        Assert.Equal(PlatformErrorKind.NotFound, refusal.Kind);
        Assert.Equal("payment_method", refusal.Param);
    }

    [Fact]
    public void Translate_SomethingElse_IsNotOurs()
    {
        Assert.Null(StripeErrors.Translate(new InvalidOperationException(), NullLogger.Instance));
    }
}
