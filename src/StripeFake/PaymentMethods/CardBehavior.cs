namespace Platform.StripeFake.PaymentMethods;

/// <summary>How a test card behaves when charged.</summary>
internal enum CardBehavior
{
    Succeeds = 1,
    Declines = 2,
    RequiresAuthentication = 3,
}
