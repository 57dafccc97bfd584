using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.Grains.Telemetry;

namespace Platform.Silo.Telemetry;

/// <summary>
/// Metrics, traces and logs of a silo. Metrics on the silo's HTTP port (<c>Silo:HttpPort</c>) at
/// <c>/metrics</c>: Orleans (<c>Microsoft.Orleans</c>), <see cref="BillingMetrics"/>, runtime, HttpClient
/// (Stripe calls, on pci silos) and the small ASP.NET Core surface. Traces: grain calls continue the
/// caller's trace (activity propagation), exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set. Logs: <c>Logging:Format</c> json (default outside Development) or text, with the grain scope.
/// </summary>
public static class SiloTelemetry
{
    public const string ServiceName = "platform-silo";
    public const string MetricsPath = "/metrics";
    public const string OrleansMeter = "Microsoft.Orleans";
    public const string ActivitySourcePattern = "Platform.*";
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static WebApplicationBuilder AddSiloTelemetry(this WebApplicationBuilder builder, IReadOnlySet<string> roles)
    {
        ConfigureLogging(builder);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(ServiceName, serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("platform.silo.roles", string.Join(',', roles.Order(StringComparer.Ordinal)))]))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, BillingMetrics.MeterName)
                .AddRuntimeInstrumentation()
                .AddHttpClientInstrumentation()
                .AddAspNetCoreInstrumentation()
                // Scrapes read live values: no response cache, so a scrape right after an action sees it.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
                .OnlyThisHostsMeters());
        // As on the API: spans are recorded only when an exporter takes them.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(OrleansActivitySources)
                .AddSource(ActivitySourcePattern)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        return builder;
    }

    public static WebApplication UseSiloTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>Same contract as the API's (<c>Logging:Format</c>); configures, never adds, the console provider.</summary>
    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        var format = builder.Configuration["Logging:Format"] ?? (builder.Environment.IsDevelopment() ? "text" : "json");
        var formatter = format.ToLowerInvariant() switch
        {
            "json" => ConsoleFormatterNames.Json,
            "text" => ConsoleFormatterNames.Simple,
            _ => throw new InvalidOperationException($"Logging:Format must be 'json' or 'text'; got '{format}'."),
        };
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        builder.Services.PostConfigure<LoggerFilterOptions>(KeepOrleansAboveTrace);
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
    }

    /// <summary>
    /// Orleans writes whole messages at Trace, arguments and results included (an issued API key's
    /// secret, a customer's fields). Whatever the configuration asks for, Orleans categories log at
    /// Debug at most verbose: every rule naming an Orleans category is clamped, and each provider gets
    /// an "Orleans" rule so a broader Trace rule cannot reach them.
    /// </summary>
    private static void KeepOrleansAboveTrace(LoggerFilterOptions options)
    {
        const string Orleans = "Orleans";
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            if (rule.CategoryName?.StartsWith(Orleans, StringComparison.Ordinal) == true && (rule.LogLevel is null || rule.LogLevel < LogLevel.Debug))
            {
                options.Rules[i] = new LoggerFilterRule(rule.ProviderName, rule.CategoryName, LogLevel.Debug, rule.Filter);
            }
        }
        foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList())
        {
            if (!options.Rules.Any(r => r.ProviderName == provider && r.CategoryName == Orleans))
            {
                options.Rules.Add(new LoggerFilterRule(provider, Orleans, LogLevel.Debug, null));
            }
        }
    }

    /// <summary>
    /// Exports only this host's meters. A MeterListener matches meters by name process-wide, so hosts
    /// sharing a process (the tests run several silos and APIs in one) would otherwise export each
    /// other's instruments. Meters made by another host's IMeterFactory are dropped; static meters
    /// (Orleans, the runtime) have no factory and stay.
    /// </summary>
    private static MeterProviderBuilder OnlyThisHostsMeters(this MeterProviderBuilder metrics)
    {
        if (metrics is IDeferredMeterProviderBuilder deferred)
        {
            deferred.Configure((services, builder) =>
            {
                var own = services.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
                    ? MetricStreamConfiguration.Drop
                    : null);
            });
        }
        return metrics;
    }
}
