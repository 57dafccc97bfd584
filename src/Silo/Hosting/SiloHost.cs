using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Configuration;
using Platform.Grains.Common;
using Platform.Grains.Entitlements;
using Platform.Grains.Webhooks;
using Platform.Grains.Pci;
using Platform.Grains.StripeWebhooks;
using Platform.Grains.Subscriptions;
using Platform.Grains.Usage;
using Platform.Silo.Health;
using Platform.Silo.Placement;
using Platform.Silo.Telemetry;

namespace Platform.Silo.Hosting;

/// <summary>
/// Builds a silo: Orleans on PostgreSQL (clustering, grain storage, reminders through ADO.NET with the
/// <c>Npgsql</c> invariant), the roles as silo metadata, and a small HTTP surface for health and metrics.
/// Program.cs runs one; integration tests start several in one process.
/// </summary>
public static class SiloHost
{
    public const string AdoNetInvariant = "Npgsql";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var connectionString = PlatformConnectionString(builder.Configuration);
        var settings = builder.Configuration.GetSection(SiloSettings.SectionName).Get<SiloSettings>() ?? new SiloSettings();
        var cluster = builder.Configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        var roles = SiloRoles.Parse(settings.Roles);
        var inKubernetes = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(inKubernetes ? IPAddress.Any : IPAddress.Loopback, settings.HttpPort));

        builder.AddSiloTelemetry(roles);
        builder.Services.AddPlatformGrainServices(connectionString);
        builder.Services.AddOptions<FieldProtectorOptions>().Bind(builder.Configuration.GetSection(FieldProtectorOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FieldProtectorOptions>, FieldProtectorOptionsValidator>();
        builder.Services.Configure<Platform.Grains.DataProtection.DataProtectionOptions>(
            builder.Configuration.GetSection(Platform.Grains.DataProtection.DataProtectionOptions.SectionName));
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.SectionName));
        builder.Services.PostConfigure<WebhookOptions>(o => o.RequireHttps ??= !builder.Environment.IsDevelopment());
        builder.Services.Configure<UsageOptions>(builder.Configuration.GetSection(UsageOptions.SectionName));
        builder.Services.Configure<SubscriptionOptions>(
            builder.Configuration.GetSection(SubscriptionOptions.SectionName));
        builder.Services.Configure<EntitlementOptions>(
            builder.Configuration.GetSection(EntitlementOptions.SectionName));
        builder.Services.Configure<Platform.Grains.Invoices.InvoiceOptions>(
            builder.Configuration.GetSection(Platform.Grains.Invoices.InvoiceOptions.SectionName));
        builder.Services.Configure<StripeWebhookOptions>(builder.Configuration.GetSection(StripeWebhookOptions.SectionName));
        builder.Services.AddSingleton(new SiloIdentity(roles));
        // The PCI boundary (docs/PCI.md): every silo can place PCI grains, only pci silos can host them,
        // and only pci silos have Stripe (client and secrets) in their container at all.
        builder.Services.AddPciPlacement();
        builder.Services.AddSiloPinnedPlacement();
        builder.Services.AddSingleton(SiloPostureReader.Read(builder.Configuration, builder.Environment, roles));
        if (roles.Contains(SiloRoles.Pci))
        {
            builder.Services.AddPciServices(builder.Configuration);
        }
        else
        {
            builder.Services.RemovePciGrainClasses();
        }
        builder.Services.AddHealthChecks()
            .AddCheck<SiloReadinessCheck>("silo", tags: ["ready"]);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (inKubernetes)
            {
                // Pod name, IP and the cluster ids come from the pod (downward API); the pod watcher
                // declares a silo dead as soon as Kubernetes deletes its pod.
                silo.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = settings.SiloPort;
                    o.GatewayPort = settings.GatewayPort;
                });
                silo.UseKubernetesHosting();
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort);
            }
            silo.UseSiloMetadata(SiloRoles.ToMetadata(roles));
            // Idle activations are collected after Orleans:Collection:CollectionAge (Orleans' default 15 min).
            silo.Configure<GrainCollectionOptions>(builder.Configuration.GetSection("Orleans:Collection"));
            // Continue the caller's trace into the grain, and put grain, request and tenant in log scopes.
            silo.AddActivityPropagation();
            silo.AddIncomingGrainCallFilter<GrainLogScopeFilter>();
            // A database outage reaches callers as 503 + Retry-After, never as a 500.
            silo.AddIncomingGrainCallFilter<Reliability.DatabaseUnavailableFilter>();
            // Database errors that escape a grain before any filter runs (a failed activation) can be sent.
            silo.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(PlatformStorage.Name, o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            // Tests lower MinimumReminderPeriod to exercise reminder-driven recovery in seconds. Not under
            // "Orleans:Reminders": Orleans reads that section as a reminder provider's configuration.
            silo.Configure<ReminderOptions>(builder.Configuration.GetSection("Silo:Reminders"));
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        });

        var app = builder.Build();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.UseSiloTelemetry();
        app.MapDiagnostics();
        app.MapGet("/", (SiloIdentity identity) => Results.Json(new { service = "platform-silo", roles = identity.Roles.Order() }));
        return app;
    }

    public static string PlatformConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Platform") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ConnectionStrings:Platform is required (env ConnectionStrings__Platform).");
}
