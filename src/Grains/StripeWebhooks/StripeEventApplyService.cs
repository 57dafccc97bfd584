using Microsoft.Extensions.Hosting;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Runs the <see cref="StripeEventProcessor"/>'s dispatch loop for the silo's lifetime. On stop it closes
/// the queue first, so queued applies finish within a short grace; whatever is left stays pending in the
/// table, and the WebhookSweeperGrain applies it.
/// </summary>
public sealed class StripeEventApplyService(StripeEventProcessor processor) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _dispatcher = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _dispatcher = Task.Run(() => processor.DispatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await processor.StopTakingAsync(_dispatcher);
        }
        finally
        {
            await _stopping.CancelAsync();
            await Task.WhenAny(_dispatcher, Task.Delay(Timeout.Infinite, cancellationToken));
            _stopping.Dispose();
        }
    }
}
