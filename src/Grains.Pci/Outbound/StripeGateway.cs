using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// What a PCI grain holds to talk to Stripe: the client, the options, a deadline per grain operation, and
/// the translation of failures into our refusals.
/// </summary>
public sealed class StripeGateway(StripeClient client, IOptions<StripeOptions> options, ILogger<StripeGateway> logger)
{
    public StripeClient Client => client;

    public StripeOptions Options => options.Value;

    public ILogger Logger => logger;

    /// <summary>A grain operation's deadline; every Stripe call of the operation takes its token.</summary>
    public CancellationTokenSource Deadline() => new(options.Value.OperationTimeout);

    /// <summary>Runs one Stripe call; failures come out as PlatformException (402, 404, 409, 503…).</summary>
    public async Task<T> SendAsync<T>(Func<StripeClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(client, cancellationToken);
        }
        catch (Exception exception) when (StripeErrors.Translate(exception, logger) is { } refusal)
        {
            throw refusal;
        }
    }

    public static RequestOptions Idempotent(string key) => new() { IdempotencyKey = key };

    public static DateTimeOffset Time(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
