namespace Platform.StripeFake.PaymentMethods;

/// <summary>The test tokens Stripe documents (https://docs.stripe.com/testing) that the fake understands.</summary>
internal static class TestCards
{
    private static readonly Dictionary<string, TestCard> _byToken = new TestCard[]
    {
        new("pm_card_visa", "visa", "4242", "credit", CardBehavior.Succeeds),
        new("pm_card_visa_debit", "visa", "5556", "debit", CardBehavior.Succeeds),
        new("pm_card_mastercard", "mastercard", "4444", "credit", CardBehavior.Succeeds),
        new("pm_card_amex", "amex", "8431", "credit", CardBehavior.Succeeds),
        new("pm_card_chargeDeclined", "visa", "0002", "credit", CardBehavior.Declines, "generic_decline", "Your card was declined."),
        new("pm_card_chargeDeclinedInsufficientFunds", "visa", "9995", "credit", CardBehavior.Declines, "insufficient_funds", "Your card has insufficient funds."),
        new("pm_card_chargeDeclinedLostCard", "visa", "9987", "credit", CardBehavior.Declines, "lost_card", "Your card was declined."),
        new("pm_card_chargeDeclinedFraudulent", "visa", "0019", "credit", CardBehavior.Declines, "fraudulent", "Your card was declined."),
        new("pm_card_chargeDeclinedExpiredCard", "visa", "0069", "credit", CardBehavior.Declines, "expired_card", "Your card has expired.", "expired_card"),
        new("pm_card_chargeDeclinedIncorrectCvc", "visa", "0127", "credit", CardBehavior.Declines, "incorrect_cvc", "Your card's security code is incorrect.", "incorrect_cvc"),
        new("pm_card_threeDSecureRequired", "visa", "3220", "credit", CardBehavior.RequiresAuthentication),
        new("pm_card_authenticationRequired", "visa", "3184", "credit", CardBehavior.RequiresAuthentication),
        new("pm_card_authenticationRequiredOnSetup", "visa", "3155", "credit", CardBehavior.RequiresAuthentication),
    }.ToDictionary(c => c.Token, StringComparer.Ordinal);

    public static TestCard? Find(string token) => _byToken.GetValueOrDefault(token);

    public static TestCard Visa => _byToken["pm_card_visa"];
}
