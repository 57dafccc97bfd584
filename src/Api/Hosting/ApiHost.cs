using System.Text.Json;
using Platform.Api.Adjustments;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Platform.Api.Audit;
using Platform.Api.Auth;
using Platform.Api.Checkout;
using Platform.Api.Compliance;
using Platform.Api.Customers;
using Platform.Api.DataProtection;
using Platform.Api.Entitlements;
using Platform.Api.Errors;
using Platform.Api.Health;
using Platform.Api.Invoices;
using Platform.Api.Licenses;
using Platform.Api.OpenApi;
using Platform.Api.Payments;
using Platform.Api.Plans;
using Platform.Api.Portal;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Api.StripeWebhooks;
using Platform.Api.Subscriptions;
using Platform.Api.Telemetry;
using Platform.Api.Tenants;
using Platform.Api.TestClocks;
using Platform.Api.Usage;
using Platform.Api.Webhooks;

namespace Platform.Api.Hosting;

/// <summary>The thin API: authenticate, validate, one grain call, JSON. No SQL beyond a health probe, no Stripe.</summary>
public static class ApiHost
{
    /// <summary>The API's Orleans client refreshes its view of the cluster's grain classes this often (TypeManagementOptions).</summary>
    public static readonly TimeSpan ClusterManifestRefresh = TimeSpan.FromSeconds(5);

    public const string AdoNetInvariant = "Npgsql";
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Builds the API host; Program.cs runs one, integration tests run several side by side.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddPlatformApi();
        // Last, so it wraps every provider registered before it, whoever added them.
        RedactingLoggerProvider.WrapAll(builder.Services);
        var app = builder.Build();
        app.UsePlatformApi();
        return app;
    }

    public static WebApplicationBuilder AddPlatformApi(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Platform") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("ConnectionStrings:Platform is required (env ConnectionStrings__Platform).");
        var cluster = builder.Configuration.GetSection(ClusterClientSettings.SectionName).Get<ClusterClientSettings>() ?? new ClusterClientSettings();

        builder.Services.Configure<PlatformApiOptions>(builder.Configuration.GetSection(PlatformApiOptions.SectionName));
        var testClocks = builder.Configuration.GetValue<bool?>(TestClockSettings.Key) ?? builder.Environment.IsDevelopment();
        builder.Services.AddOptions<TestClockSettings>().Configure(o => o.Enabled = testClocks);
        builder.AddPlatformTelemetry();
        builder.Services.AddPlatformOpenApi();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            // No "Server: Kestrel": what runs behind the API is nobody's business.
            k.AddServerHeader = false;
        });

        builder.Services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["request_id"] = c.HttpContext.TraceIdentifier;
            // The path is the caller's input: any card number in it is redacted before it is echoed.
            c.ProblemDetails.Instance ??= RouteTemplate.RedactedPath(c.HttpContext);
        });
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMemoryCache();
        builder.Services.Configure<RateLimitSettings>(builder.Configuration.GetSection(RateLimitSettings.SectionName));
        builder.Services.AddSingleton<TenantRateLimits>();
        builder.Services.AddSingleton<ClusterRateLimiter>();
        builder.Services.AddSingleton<PermitLeases>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PermitLeases>());
        builder.Services.AddSingleton<AuthFailureGuard>();
        builder.Services.AddSingleton<WebhookRefusalGuard>();
        builder.Services.Configure<CredentialCacheSettings>(builder.Configuration.GetSection(CredentialCacheSettings.SectionName));
        builder.Services.AddSingleton<CredentialCache>();
        builder.Services.AddSingleton<BlockedAddresses>();
        builder.Services.Configure<LicenseOptions>(builder.Configuration.GetSection(LicenseOptions.SectionName));
        builder.Services.AddSingleton<LicenseSigner>();
        var jwt = builder.Configuration.GetSection(JwtSettings.SectionName).Get<JwtSettings>() ?? new JwtSettings();
        var authentication = builder.Services.AddAuthentication(AuthSchemes.Selector);
        authentication
            .AddPolicyScheme(AuthSchemes.Selector, "By credential shape", o => o.ForwardDefaultSelector = CredentialSelector.Select)
            .AddScheme<AuthenticationSchemeOptions, PlatformAdminAuthenticationHandler>(AuthSchemes.PlatformAdmin, null)
            .AddScheme<AuthenticationSchemeOptions, TenantKeyAuthenticationHandler>(AuthSchemes.TenantKey, null)
            .AddScheme<AuthenticationSchemeOptions, CustomerKeyAuthenticationHandler>(AuthSchemes.CustomerKey, null)
            .AddFrontendJwt(jwt, builder.Environment.IsProduction());
        builder.AddPlatformPortal(authentication);

        var origins = CorsOrigins(builder.Configuration);
        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (origins.Length > 0)
            {
                p.WithOrigins(origins).WithMethods("GET", "POST", "PATCH", "DELETE")
                    .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", CredentialSelector.CustomerKeyHeader)
                    .WithExposedHeaders("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After");
            }
        }));
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        if (ForwardedHeadersSettings.From(builder.Configuration) is { } forwarded)
        {
            // Behind the ingress (deploy/k8s): the client address and scheme come from X-Forwarded-*, when the
            // peer is the ingress (one hop: the last address the ingress appended).
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.ForwardLimit = 1;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
                foreach (var network in forwarded.KnownNetworks)
                {
                    o.KnownIPNetworks.Add(network);
                }
                foreach (var proxy in forwarded.KnownProxies)
                {
                    o.KnownProxies.Add(proxy);
                }
            });
        }
        builder.Services.AddAuthorizationBuilder()
            .AddPlatformPolicies()
            .AddPortalPolicy()
            // Secure by default: a route that forgets to name a policy still needs a credential.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddSingleton(_ => new Npgsql.NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            // How soon this host learns which silos host which grain classes: after a pci silo restarts, PCI routes
            // answer 503 until then (Orleans' default is a minute; bench/chaos.sh saw a host stay 503 a whole phase).
            client.Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = ClusterManifestRefresh);
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10));
            // A call in flight to a silo that dies (killed, not stopped) is answered by nothing: it waits
            // for ResponseTimeout (Orleans' default 30 s). Operators and tests may shorten it here.
            client.Configure<ClientMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"));
            // Grain calls continue the request's trace (W3C traceparent in the call's RequestContext).
            client.AddActivityPropagation();
            // A database error that escapes a grain (e.g. a grain that could not load its state) arrives
            // as itself, so the exception handler can answer 503 instead of failing to read it.
            client.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            // The API may start before any silo (Kubernetes starts pods in any order): keep trying.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
        });
        // After the Orleans client, so it starts once the client has.
        builder.Services.AddHostedService<CredentialRevocationListener>();
        builder.Services.AddHostedService<AddressBlocklistListener>();
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    /// <summary><c>Cors:Origins</c> as a comma-separated string or an array.</summary>
    private static string[] CorsOrigins(IConfiguration configuration)
    {
        var section = configuration.GetSection("Cors:Origins");
        var values = section.Get<string[]>() ?? (section.Value is { } single ? single.Split(',') : []);
        return values.Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
    }

    public static WebApplication UsePlatformApi(this WebApplication app)
    {
        if (app.Configuration.GetValue(ForwardedHeadersSettings.SwitchKey, false))
        {
            app.UseForwardedHeaders();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0 || http.Response.ContentType is not null)
            {
                return;
            }
            var status = http.Response.StatusCode;
            var problem = status switch
            {
                404 => Problems.Create(404, ErrorCodes.RouteNotFound, $"No route {http.Request.Method} {RouteTemplate.RedactedPath(http)}."),
                405 => Problems.Create(405, ErrorCodes.MethodNotAllowed, $"{http.Request.Method} is not allowed on {RouteTemplate.RedactedPath(http)}."),
                415 => Problems.Create(415, ErrorCodes.UnsupportedMediaType, "Send the body as application/json."),
                _ => Problems.Create(status, ErrorCodes.ParameterInvalid, "The request failed."),
            };
            await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        });
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        // Before CORS and authentication: a blocked address learns nothing and costs nothing.
        app.UseMiddleware<AddressBlocklistMiddleware>();
        app.UseCors();
        app.UseAuthentication();
        app.UseMiddleware<CallerLogScopeMiddleware>();
        app.UseMiddleware<AuditContextMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<Common.JsonBodyMiddleware>();
        app.UseMiddleware<CardDataGuardMiddleware>();
        app.UseMiddleware<ClusterRateLimitingMiddleware>();

        app.UsePlatformTelemetry();
        app.MapPlatformOpenApi();
        app.MapErrorsPage();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapTenantsApi();
        app.MapCustomersApi();
        app.MapAuditApi();
        app.MapBlockedAddressesApi();
        app.MapWebhooksApi();
        app.MapPaymentsApi();
        app.MapUsageApi();
        app.MapStripeWebhookApi();
        app.MapWebhookEventsApi();
        app.MapSubscriptionsApi();
        app.MapCheckoutApi();
        app.MapDataKeysApi();
        app.MapComplianceApi();
        app.MapPlansApi();
        app.MapEntitlementsApi();
        app.MapLicensesApi();
        app.MapInvoicesApi();
        app.MapAdjustmentsApi();
        app.MapDunningApi();
        app.MapTestClocksApi();
        app.MapPortalSessionsApi();
        app.MapPortal();
        // Fail at start, not on the first license request, when no signing key is configured outside Development.
        app.Services.GetRequiredService<LicenseSigner>();
        return app;
    }
}
