using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Common;

/// <summary>
/// Checked at start-up (ValidateOnStart): a silo whose data keys are malformed does not start, and outside
/// Development neither does one without a current key. Without this it would start and then answer every
/// write of personal data with a server error, long after the deployment looked healthy.
/// </summary>
public sealed class FieldProtectorOptionsValidator(IHostEnvironment environment) : IValidateOptions<FieldProtectorOptions>
{
    public ValidateOptionsResult Validate(string? name, FieldProtectorOptions options)
    {
        if (string.IsNullOrEmpty(options.DataKey) && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"Platform:DataKey is required in the '{environment.EnvironmentName}' environment (base64 of 32 random bytes; " +
                "env Platform__DataKey). It encrypts customer personal data and webhook secrets at rest; run.sh makes one locally.");
        }
        try
        {
            _ = new FieldProtector(Options.Create(options));
        }
        catch (InvalidOperationException invalid)
        {
            return ValidateOptionsResult.Fail(invalid.Message);
        }
        return ValidateOptionsResult.Success;
    }
}
