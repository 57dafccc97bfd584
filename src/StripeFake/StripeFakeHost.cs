using Platform.StripeFake.Billing;
using Platform.StripeFake.Checkout;
using Platform.StripeFake.Control;
using Platform.StripeFake.Customers;
using Platform.StripeFake.Faults;
using Platform.StripeFake.Idempotency;
using Platform.StripeFake.Invoices;
using Platform.StripeFake.PaymentIntents;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Persistence;
using Platform.StripeFake.Products;
using Platform.StripeFake.Refunds;
using Platform.StripeFake.Requests;
using Platform.StripeFake.SetupIntents;
using Platform.StripeFake.Subscriptions;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake;

/// <summary>Registers and wires the fake, for the standalone program and for <see cref="StripeFakeServer"/> alike.</summary>
public static class StripeFakeHost
{
    /// <summary>Registers the fake's state (loaded from its state file when one is set), fault injector, request log and webhook delivery.</summary>
    public static IServiceCollection AddStripeFake(this IServiceCollection services, StripeFakeOptions options)
    {
        var state = new StripeFakeState();
        var idempotency = new IdempotencyStore();
        services.AddSingleton(options);
        services.AddSingleton(state);
        services.AddSingleton(idempotency);
        if (options.StateFile is { Length: > 0 } path)
        {
            var stateFile = new StateFile(state, idempotency, path);
            stateFile.Load();
            services.AddSingleton(stateFile);
        }

        services.AddSingleton(new WebhookOutbox(state, options));
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<FakeServices>();
        services.AddSingleton<FakeControl>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    /// <summary>Adds the middleware (request log, API key, faults, idempotency, errors) and every endpoint.</summary>
    public static WebApplication UseStripeFake(this WebApplication app)
    {
        // Order matters: faults sit outside idempotency so that "after commit" faults hide a stored result,
        // and errors are rendered inside it so that an error is replayed like any other response.
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        if (app.Services.GetService<StateFile>() is not null)
        {
            // Outside idempotency, so the stored result of a key is in the same write as its effect.
            app.UseMiddleware<StateFileMiddleware>();
        }

        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseMiddleware<StripeErrorMiddleware>();
        app.MapCustomersApi();
        app.MapPaymentMethodsApi();
        app.MapSetupIntentsApi();
        app.MapPaymentIntentsApi();
        app.MapRefundsApi();
        app.MapCheckoutSessionsApi();
        app.MapSubscriptionsApi();
        app.MapInvoicesApi();
        app.MapProductsApi();
        app.MapPricesApi();
        app.MapMetersApi();
        app.MapMeterEventsApi();
        app.MapMeterEventStreamApi();
        app.MapEventsApi();
        app.MapFakeControlApi();
        app.MapFallback(NotFound);
        return app;
    }

    /// <summary>Reads the <c>StripeFake</c> configuration section.</summary>
    public static StripeFakeOptions ReadOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(StripeFakeOptions.SectionName);
        var options = new StripeFakeOptions
        {
            ApiKey = NullIfEmpty(section["ApiKey"]),
            WebhookUrl = NullIfEmpty(section["WebhookUrl"]),
            StateFile = NullIfEmpty(section["StateFile"]),
        };
        if (NullIfEmpty(section["WebhookSecret"]) is { } secret)
        {
            options.WebhookSecret = secret;
        }

        if (NullIfEmpty(section["ApiVersion"]) is { } version)
        {
            options.ApiVersion = version;
        }

        return options;
    }

    private static IResult NotFound(HttpContext http) => new JsonNodeResult(404, new StripeApiException(
        404,
        "invalid_request_error",
        $"Unrecognized request URL ({http.Request.Method}: {http.Request.Path}). The Stripe fake implements only part of Stripe's API.").ToBody());

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
