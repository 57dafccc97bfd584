using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Errors;

namespace Platform.Api.Common;

/// <summary>Field rules shared by every resource, with Stripe's limits where Stripe has one.</summary>
public static partial class Validation
{
    public const int MaxMetadataKeys = 50;
    public const int MaxMetadataKeyLength = 40;
    public const int MaxMetadataValueLength = 500;
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>
    /// The one ceiling of every money field (plan prices, usage prices, payments, refunds, payment limits), in
    /// minor units: Stripe's default maximum charge, 999,999.99 in a two-decimal currency.
    /// </summary>
    public const long MaxAmount = 99_999_999;

    /// <summary>A money field: an integer in minor units from <paramref name="minimum"/> (0 or 1) to <see cref="MaxAmount"/>.</summary>
    public static ProblemHttpResult? Amount(string param, long? amount, long minimum = 0) =>
        amount is { } value && (value < minimum || value > MaxAmount)
            ? Problems.Invalid(param, $"{param} must be an integer amount in minor units between {minimum} and {MaxAmount}.")
            : null;

    /// <summary>A currency field: required, and a known ISO 4217 code (<see cref="Currencies"/>).</summary>
    public static ProblemHttpResult? Currency(string param, string? currency) =>
        currency is null ? Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.ParameterMissing, $"{param} is required.", param)
        : Currencies.Normalize(currency) is null ? Problems.Invalid(param, $"{param} must be a three-letter ISO 4217 currency code such as usd.")
        : null;

    public static ProblemHttpResult? Metadata(IReadOnlyDictionary<string, string>? metadata, bool allowEmptyValues = false)
    {
        if (metadata is null)
        {
            return null;
        }
        if (metadata.Count > MaxMetadataKeys)
        {
            return Problems.Invalid("metadata", $"metadata holds at most {MaxMetadataKeys} keys.");
        }
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyLength || key.Contains('[') || key.Contains(']') || HasControl(key))
            {
                return Problems.Invalid("metadata", $"metadata keys are 1 to {MaxMetadataKeyLength} printable characters without square brackets.");
            }
            if (value is null || value.Length > MaxMetadataValueLength || (!allowEmptyValues && value.Length == 0) || HasControl(value))
            {
                return Problems.Invalid($"metadata[{key}]", $"metadata values are 1 to {MaxMetadataValueLength} printable characters.");
            }
        }
        return null;
    }

    /// <summary>Free text such as a name: bounded, no control characters. Null is allowed (absent).</summary>
    public static ProblemHttpResult? Text(string param, string? value, int maxLength, bool allowEmpty = false)
    {
        if (value is null)
        {
            return null;
        }
        if ((!allowEmpty && value.Trim().Length == 0) || value.Length > maxLength || HasControl(value))
        {
            return Problems.Invalid(param, $"{param} must be 1 to {maxLength} printable characters.");
        }
        return null;
    }

    public static ProblemHttpResult? Email(string param, string? value, bool allowEmpty = false)
    {
        if (value is null || (allowEmpty && value.Length == 0))
        {
            return null;
        }
        if (value.Length > 254 || !EmailShape().IsMatch(value))
        {
            return Problems.Invalid(param, $"{param} must be an email address such as jenny@example.com.");
        }
        return null;
    }

    public static ProblemHttpResult? IdempotencyKey(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length is 0 or > MaxIdempotencyKeyLength || HasControl(value))
        {
            return Problems.Result(400, ErrorCodes.ParameterInvalid,
                $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} printable characters.", "Idempotency-Key");
        }
        return null;
    }

    private static bool HasControl(string value) => value.Any(char.IsControl);

    // Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the mail server's call.
    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();
}
