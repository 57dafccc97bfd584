using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.StripeFake.Control;
using Platform.StripeFake.Faults;
using Platform.StripeFake.Persistence;
using Platform.StripeFake.Requests;
using Platform.StripeFake.Webhooks;

namespace Platform.StripeFake;

/// <summary>
/// The fake embedded in a test: Kestrel on 127.0.0.1 with a free port, and handles on its state,
/// request log, faults and webhooks. Point Stripe.net's <c>ApiBase</c> at <see cref="BaseUrl"/>.
/// </summary>
public sealed class StripeFakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeControl _control;
    private readonly StateFile? _stateFile;

    private StripeFakeServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Options = app.Services.GetRequiredService<StripeFakeOptions>();
        State = app.Services.GetRequiredService<StripeFakeState>();
        Faults = app.Services.GetRequiredService<FaultInjector>();
        Requests = app.Services.GetRequiredService<RequestLog>();
        Webhooks = app.Services.GetRequiredService<WebhookOutbox>();
        _control = app.Services.GetRequiredService<FakeControl>();
        _stateFile = app.Services.GetService<StateFile>();
    }

    /// <summary>For example <c>http://127.0.0.1:54321</c> (no trailing slash).</summary>
    public string BaseUrl { get; }

    public StripeFakeOptions Options { get; }

    /// <summary>Objects, idempotency-key counts and meter totals, for assertions.</summary>
    public StripeFakeState State { get; }

    /// <summary>Arms faults for the next requests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Requests received.</summary>
    public RequestLog Requests { get; }

    /// <summary>Events emitted, deliveries, resend, signing; <see cref="WebhookOutbox.Url"/> can be set after start.</summary>
    public WebhookOutbox Webhooks { get; }

    public static async Task<StripeFakeServer> StartAsync(StripeFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StripeFakeOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(StripeFakeServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(options.ListenUrl);
        builder.Services.AddStripeFake(options);
        var app = builder.Build();
        app.UseStripeFake();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StripeFakeServer(app, address.TrimEnd('/'));
    }

    /// <summary>A <c>Stripe-Signature</c> header for any payload, as Stripe would sign it.</summary>
    public string SignPayload(string payload, DateTimeOffset? timestamp = null) => Webhooks.Sign(payload, timestamp);

    /// <summary>Completes a checkout session as its customer would (default card <c>pm_card_visa</c>).</summary>
    public JsonObject CompleteCheckoutSession(string sessionId, string? paymentMethod = null) =>
        Saved(_control.CompleteCheckoutSession(sessionId, paymentMethod));

    /// <summary>Moves a subscription to trialing, active, past_due, unpaid, canceled, … with Stripe's events.</summary>
    public JsonObject SetSubscriptionStatus(string subscriptionId, string status) =>
        Saved(_control.SetSubscriptionStatus(subscriptionId, status));

    /// <summary>
    /// Ends a subscription's current period now (as a test clock jump to its end would): the next period starts
    /// and the period's invoice is made (licensed items for the new period, metered usage of the ended one), paid or failed.
    /// </summary>
    public JsonObject EndSubscriptionPeriod(string subscriptionId) => Saved(_control.EndSubscriptionPeriod(subscriptionId));

    /// <summary>Ends every subscription period whose end has passed on <see cref="StripeFakeOptions.TimeProvider"/>; how many ended.</summary>
    public int EndDuePeriods() => Saved(_control.EndDuePeriods());

    /// <summary>Emits <c>customer.subscription.trial_will_end</c>.</summary>
    public JsonObject SendTrialWillEnd(string subscriptionId) => Saved(_control.SendTrialWillEnd(subscriptionId));

    /// <summary>Completes or fails the customer's 3-D Secure step of a PaymentIntent in requires_action.</summary>
    public JsonObject AuthenticatePaymentIntent(string paymentIntentId, bool succeeds = true) =>
        Saved(_control.AuthenticatePaymentIntent(paymentIntentId, succeeds));

    /// <summary>Control calls bypass the HTTP pipeline, so they write the state file themselves.</summary>
    private T Saved<T>(T result)
    {
        _stateFile?.Save();
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        Webhooks.Complete();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
