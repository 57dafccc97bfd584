using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.Api.Telemetry;

/// <summary>
/// Metrics, traces and logs of an API host. Metrics: Prometheus text on <c>/metrics</c> (ASP.NET Core,
/// HttpClient, runtime, the Orleans client and <see cref="ApiMetrics"/>). Traces: the request span,
/// continued by Orleans' activity propagation into the grains it calls; recorded and exported over OTLP
/// only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (sampling then follows the standard OTEL_TRACES_SAMPLER variables). Logs: JSON lines with scopes, or text (<c>Logging:Format</c>).
/// </summary>
public static class ApiTelemetry
{
    public const string ServiceName = "platform-api";
    public const string MetricsPath = "/metrics";

    /// <summary>Our own spans (features may start them from an ActivitySource named <c>Platform.*</c>).</summary>
    public const string ActivitySourcePattern = "Platform.*";

    public const string OrleansMeter = "Microsoft.Orleans";
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static WebApplicationBuilder AddPlatformTelemetry(this WebApplicationBuilder builder)
    {
        builder.ConfigurePlatformLogging();
        builder.Services.AddSingleton<ApiMetrics>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ApiMetrics.MeterName, OrleansMeter)
                // Scrapes read live values: no response cache, so a scrape right after an action sees it.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
                .OnlyThisHostsMeters());
        // Spans are recorded only when they have somewhere to go: with no exporter, recording every request
        // and grain call cost about a sixth of the read path's CPU for nothing (bench/run.sh).
        if (OtlpConfigured(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsInfrastructure(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(ActivitySourcePattern)
                .AddSource(OrleansActivitySources)
                .AddOtlpExporter());
        }
        return builder;
    }

    public static WebApplication UsePlatformTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// <c>Logging:Format</c> = <c>json</c> (the default outside Development) or <c>text</c>. JSON lines
    /// carry the scopes: ASP.NET Core's RequestId/TraceId/SpanId, our caller and tenant, the grain.
    /// Configures the console provider the host already has rather than adding one, so a host whose
    /// providers were cleared (tests) stays quiet.
    /// </summary>
    public static WebApplicationBuilder ConfigurePlatformLogging(this WebApplicationBuilder builder)
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
        return builder;
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

    private static bool OtlpConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsInfrastructure(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");

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
