using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>Refuses settings under which drafts would never be finalized or numbers would be malformed.</summary>
public sealed class InvoiceOptionsValidator : IValidateOptions<InvoiceOptions>
{
    public ValidateOptionsResult Validate(string? name, InvoiceOptions options)
    {
        if (options.GracePeriod < TimeSpan.Zero || options.GracePeriod > TimeSpan.FromDays(30))
        {
            return ValidateOptionsResult.Fail("Invoices:GracePeriod must be between 0 and 30 days.");
        }
        if (options.ReminderPeriod <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Invoices:ReminderPeriod must be positive.");
        }
        return InvoiceNumbers.IsValidPrefix(options.DefaultNumberPrefix)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Invoices:DefaultNumberPrefix must be {InvoiceNumbers.PrefixRule}.");
    }
}
