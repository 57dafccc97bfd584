using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Invoices;

namespace Platform.Unit.Tests.Grains.Invoices;

public sealed class InvoiceTransitionsTests
{
    [Theory]
    [InlineData("draft", false)]
    [InlineData("open", true)]
    [InlineData("uncollectible", true)]
    [InlineData("paid", false)]
    [InlineData("void", false)]
    public void CanVoid_OnlyFinalizedUnpaidNotFinal(string status, bool expected)
    {
        Assert.Equal(expected, InvoiceTransitions.CanVoid(status, 0));
        Assert.False(InvoiceTransitions.CanVoid(status, 1));
    }

    [Theory]
    [InlineData("draft", false)]
    [InlineData("open", true)]
    [InlineData("uncollectible", false)]
    [InlineData("paid", false)]
    [InlineData("void", false)]
    public void CanMarkUncollectible_OnlyOpenUnpaid(string status, bool expected) =>
        Assert.Equal(expected, InvoiceTransitions.CanMarkUncollectible(status, 0));

    [Fact]
    public void PaidAndVoid_AreFinal_OpenAndUncollectibleArePayable()
    {
        Assert.True(InvoiceTransitions.IsFinal(InvoiceStatuses.Paid));
        Assert.True(InvoiceTransitions.IsFinal(InvoiceStatuses.Void));
        Assert.True(InvoiceTransitions.CanPay(InvoiceStatuses.Open));
        Assert.True(InvoiceTransitions.CanPay(InvoiceStatuses.Uncollectible));
        Assert.False(InvoiceTransitions.CanPay(InvoiceStatuses.Draft));
    }

    [Theory]
    [InlineData("ACME", 42, "ACME-000042")]
    [InlineData("INV", 1, "INV-000001")]
    [InlineData("A1", 1234567, "A1-1234567")]
    public void Format_PrefixDashSixDigits(string prefix, long number, string expected) =>
        Assert.Equal(expected, InvoiceNumbers.Format(prefix, number));

    [Theory]
    [InlineData("ACME", true)]
    [InlineData("A", true)]
    [InlineData("", false)]
    [InlineData("acme", false)]
    [InlineData("1ACME", false)]
    [InlineData("AC-ME", false)]
    [InlineData("ABCDEFGHIJKLM", false)]
    public void IsValidPrefix_UpperCaseLettersAndDigits(string prefix, bool expected) =>
        Assert.Equal(expected, InvoiceNumbers.IsValidPrefix(prefix));

    [Fact]
    public void OptionsValidator_RefusesNegativeGraceAndBadPrefix()
    {
        var validator = new InvoiceOptionsValidator();
        Assert.True(validator.Validate(null, new InvoiceOptions()).Succeeded);
        Assert.Equal(TimeSpan.FromHours(1), new InvoiceOptions().GracePeriod);
        Assert.True(validator.Validate(null, new InvoiceOptions { GracePeriod = TimeSpan.FromSeconds(-1) }).Failed);
        Assert.True(validator.Validate(null, new InvoiceOptions { ReminderPeriod = TimeSpan.Zero }).Failed);
        Assert.True(validator.Validate(null, new InvoiceOptions { DefaultNumberPrefix = "inv" }).Failed);
    }
}
