namespace Platform.Grains.Interfaces.Invoices;

/// <summary>The rules of a dunning policy, in one place for the grain that keeps it and the invoices that follow it.</summary>
public static class DunningPolicyRules
{
    public const int MaxRetries = 8;
    public const int MaxRetryDays = 60;

    /// <summary>Declines no retry can cure (Stripe's hard declines): the card is gone, stolen or refused for good.</summary>
    private static readonly HashSet<string> HardDeclines = new(StringComparer.Ordinal)
    {
        "lost_card", "stolen_card", "fraudulent", "pickup_card", "restricted_card", "merchant_blacklist",
        "invalid_account", "new_account_information_available", "do_not_honor_permanently", "revocation_of_authorization",
        "stop_payment_order", "security_violation",
    };

    public static bool IsHardDecline(string? declineCode) => declineCode is not null && HardDeclines.Contains(declineCode);

    /// <summary>Null when valid, else the problem with it, naming the field.</summary>
    public static (string Param, string Message)? Problem(DunningPolicy policy)
    {
        if (policy.RetryDays.Count > MaxRetries)
        {
            return ("retry_days", $"retry_days has at most {MaxRetries} entries.");
        }
        if (policy.RetryDays.Any(d => d < 1 || d > MaxRetryDays))
        {
            return ("retry_days", $"Each retry is 1 to {MaxRetryDays} days after the failure before it.");
        }
        return DunningActions.IsKnown(policy.FinalAction)
            ? null
            : ("final_action", "final_action must be one of cancel, unpaid, past_due.");
    }
}
