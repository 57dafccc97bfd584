using Microsoft.Extensions.Options;

namespace Platform.Grains.Entitlements;

/// <summary>A threshold share outside (0, 1] would publish at once or never.</summary>
public sealed class EntitlementOptionsValidator : IValidateOptions<EntitlementOptions>
{
    public ValidateOptionsResult Validate(string? name, EntitlementOptions options) =>
        options.ThresholdShare is > 0 and <= 1
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Entitlements:ThresholdShare must be greater than 0 and at most 1.");
}
