using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Stripe;

namespace Platform.Grains.Pci.Outbound;

public static class StripeServiceCollectionExtensions
{
    public const string HttpClientName = "stripe";

    /// <summary>
    /// Registers <see cref="StripeClient"/> for the PCI grains. Resilience is Microsoft.Extensions.Http.Resilience
    /// on the HttpClient, not Stripe.net's MaxNetworkRetries (set to 0): Stripe.net does not retry an attempt
    /// that timed out, and a timed-out attempt whose effect Stripe already committed is exactly the case
    /// idempotency keys exist for. Here each attempt has its own timeout, retries back off exponentially with
    /// jitter on network errors, timeouts, 408, 429 (honouring Retry-After) and 5xx, and every attempt spends
    /// from the silo's token bucket (<see cref="StripeBudgetHandler"/>, innermost).
    /// </summary>
    public static IServiceCollection AddStripe(this IServiceCollection services, IConfiguration stripeSection)
    {
        services.AddOptions<StripeOptions>().Bind(stripeSection).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.AddSingleton<StripeOutboundBudget>();

        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure(resilience =>
            {
                // Bound again from the section rather than IOptions, so a missing key fails start-up once, with our message.
                var stripe = stripeSection.Get<StripeOptions>() ?? new StripeOptions();
                resilience.AttemptTimeout.Timeout = stripe.AttemptTimeout;
                resilience.TotalRequestTimeout.Timeout = stripe.RequestTimeout;
                resilience.Retry.MaxRetryAttempts = stripe.MaxRetries;
                resilience.Retry.Delay = stripe.RetryBaseDelay;
                resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome));
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(
                    TimeSpan.FromSeconds(30).Ticks, stripe.AttemptTimeout.Ticks * 2));
            });
        services.AddTransient<StripeBudgetHandler>();
        services.AddHttpClient(HttpClientName).AddHttpMessageHandler<StripeBudgetHandler>();
        // Innermost of all: counts each attempt that actually leaves for Stripe, with its status and latency.
        services.AddTransient<StripeCallMetricsHandler>();
        services.AddHttpClient(HttpClientName).AddHttpMessageHandler<StripeCallMetricsHandler>();

        // Transient: a fresh HttpClient from the factory each time, so handler rotation (DNS) keeps working.
        services.AddTransient(provider =>
        {
            var stripe = provider.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = stripe.SecretKey,
                ApiBase = stripe.ApiBase,
                MeterEventsBase = stripe.EffectiveMeterEventsBase,
                HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
            });
        });
        services.AddTransient<StripeGateway>();
        return services;
    }

    /// <summary>
    /// Stripe's own verdict first (<c>Stripe-Should-Retry</c>), else the transient failures, plus 409: Stripe
    /// answers 409 while a request with the same idempotency key is still running, and asks to retry later.
    /// Retrying a POST is safe only because every POST carries an idempotency key (StripeBudgetHandler checks).
    /// </summary>
    public static bool ShouldRetry(Polly.Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result?.Headers.TryGetValues("Stripe-Should-Retry", out var verdict) == true
            && bool.TryParse(verdict.FirstOrDefault(), out var shouldRetry))
        {
            return shouldRetry;
        }
        return HttpClientResiliencePredicates.IsTransient(outcome) || outcome.Result?.StatusCode == System.Net.HttpStatusCode.Conflict;
    }
}
