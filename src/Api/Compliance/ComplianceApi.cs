using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Api.Telemetry;
using Platform.Grains.Interfaces.Compliance;

namespace Platform.Api.Compliance;

/// <summary>
/// The PCI self-assessment (docs/PCI.md, "Compliance report"): the cluster's checks from the silos, plus
/// the checks only an API host can make about itself (TLS/HSTS, log redaction, rate limits).
/// </summary>
public static class ComplianceApi
{
    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/compliance/report", GetComplianceReport).WithTags("Compliance").WithName("GetComplianceReport")
            .WithSummary("Check the running cluster against the platform's PCI DSS controls: pass/fail per control, with evidence")
            .RequireAuthorization(Policies.PlatformAdmin);
        return app;
    }

    public static async Task<Ok<ComplianceReportResource>> GetComplianceReport(
        IGrainFactory grains, HttpContext http, IWebHostEnvironment environment, IConfiguration configuration,
        IOptions<RateLimitSettings> rateLimits, ApiMetrics metrics, IEnumerable<ILoggerProvider> loggers)
    {
        var cluster = await grains.GetGrain<IComplianceGrain>(0).AssessAsync();
        var checks = cluster.Checks.Concat(
        [
            TlsHsts(http, environment, configuration),
            LogRedaction(loggers.ToArray(), metrics),
            RateLimitsOn(rateLimits.Value),
        ]).ToArray();
        return TypedResults.Ok(ComplianceReportResource.From(environment.EnvironmentName, cluster, checks));
    }

    private static ComplianceCheck TlsHsts(HttpContext http, IWebHostEnvironment environment, IConfiguration configuration)
    {
        var forwarded = configuration.GetValue("Platform:TrustForwardedHeaders", false);
        var seen = $"this request arrived over {(http.Request.IsHttps ? "HTTPS" : "plain HTTP")}{(forwarded ? " (scheme from X-Forwarded-Proto, TLS ends at the ingress)" : "")}";
        if (!environment.IsProduction())
        {
            return new ComplianceCheck(ComplianceChecks.TlsHsts, Requirement, CheckStatus.NotApplicable,
                $"environment {environment.EnvironmentName}: TLS and HSTS are required in Production only; HSTS is {(environment.IsDevelopment() ? "off" : "on")}; {seen}");
        }
        return new ComplianceCheck(ComplianceChecks.TlsHsts, Requirement, http.Request.IsHttps ? CheckStatus.Pass : CheckStatus.Fail,
            $"HSTS on (max-age 365 days, includeSubDomains); {seen}");
    }

    private const string Requirement = "4.2 strong cryptography in transit: HTTPS with HSTS in production";

    private static ComplianceCheck LogRedaction(ILoggerProvider[] loggers, ApiMetrics metrics)
    {
        var wrapped = loggers.Length > 0 && loggers.All(l => l is RedactingLoggerProvider);
        return new ComplianceCheck(ComplianceChecks.LogRedaction, "3.3/10.3 no card data in logs: every log line passes the card-number redactor",
            wrapped ? CheckStatus.Pass : CheckStatus.Fail,
            $"{loggers.Length} logging providers, {(wrapped ? "all" : "not all")} behind RedactingLoggerProvider; since start this host redacted "
            + $"{loggers.OfType<RedactingLoggerProvider>().Sum(l => l.LinesRedacted)} log lines before writing them and refused {metrics.PanRejectionsTotal} request bodies holding card data");
    }

    private static ComplianceCheck RateLimitsOn(RateLimitSettings limits) =>
        new(ComplianceChecks.RateLimits, "6.4.2/8.3.4 abuse controls: rate limits and lockout after repeated authentication failures",
            limits.Enabled ? CheckStatus.Pass : CheckStatus.Fail,
            limits.Enabled
                ? $"on: api {limits.Api.PermitLimit}/{limits.Api.WindowSeconds}s, usage {limits.Usage.PermitLimit}/{limits.Usage.WindowSeconds}s, admin {limits.Admin.PermitLimit}/{limits.Admin.WindowSeconds}s, lockout after {limits.AuthFailures.PermitLimit} failures in {limits.AuthFailures.WindowSeconds}s"
                : "RateLimits:Enabled is false");
}
