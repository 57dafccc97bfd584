using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Pci.Payments;

namespace Platform.Unit.Tests.Grains.Pci;

public sealed class PaymentTransitionsTests
{
    [Theory]
    [InlineData(PaymentStatus.RequiresPaymentMethod, PaymentStatus.RequiresConfirmation)]
    [InlineData(PaymentStatus.RequiresConfirmation, PaymentStatus.RequiresAction)]
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.Processing)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.Succeeded)]
    [InlineData(PaymentStatus.RequiresPaymentMethod, PaymentStatus.Succeeded)]
    [InlineData(PaymentStatus.RequiresConfirmation, PaymentStatus.Canceled)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.PartiallyRefunded)]
    [InlineData(PaymentStatus.PartiallyRefunded, PaymentStatus.PartiallyRefunded)]
    [InlineData(PaymentStatus.PartiallyRefunded, PaymentStatus.Refunded)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Refunded)]
    // Stripe's one way back: a failed confirmation or authentication asks for another payment method.
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.RequiresPaymentMethod)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.RequiresPaymentMethod)]
    public void CanMove_Forward_IsAllowed(PaymentStatus from, PaymentStatus to) =>
        Assert.True(PaymentTransitions.CanMove(from, to));

    [Theory]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Processing)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.RequiresPaymentMethod)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Canceled)]
    [InlineData(PaymentStatus.Refunded, PaymentStatus.Succeeded)]
    [InlineData(PaymentStatus.Refunded, PaymentStatus.PartiallyRefunded)]
    [InlineData(PaymentStatus.PartiallyRefunded, PaymentStatus.Succeeded)]
    [InlineData(PaymentStatus.Canceled, PaymentStatus.Succeeded)]
    [InlineData(PaymentStatus.Canceled, PaymentStatus.RequiresPaymentMethod)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.RequiresAction)]
    [InlineData(PaymentStatus.RequiresPaymentMethod, PaymentStatus.Refunded)]
    public void CanMove_BackwardsOrOutOfASettledState_IsRefused(PaymentStatus from, PaymentStatus to) =>
        Assert.False(PaymentTransitions.CanMove(from, to));

    [Fact]
    public void FromStripe_MapsEveryStatusWeModel()
    {
        Assert.Equal(PaymentStatus.RequiresPaymentMethod, PaymentTransitions.FromStripe("requires_payment_method"));
        Assert.Equal(PaymentStatus.Processing, PaymentTransitions.FromStripe("requires_capture"));
        Assert.Equal(PaymentStatus.Succeeded, PaymentTransitions.FromStripe("succeeded"));
        Assert.Null(PaymentTransitions.FromStripe("something_new"));
    }
}
