namespace Platform.StripeFake.PaymentMethods;

/// <summary>A Stripe test payment method token and the card it stands for (never a full number).</summary>
internal sealed record TestCard(
    string Token,
    string Brand,
    string Last4,
    string Funding,
    CardBehavior Behavior,
    string? DeclineCode = null,
    string? DeclineMessage = null,
    string ErrorCode = "card_declined");
