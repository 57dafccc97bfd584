using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Pci;
using Platform.Silo.Hosting;

namespace Platform.Unit.Tests.Silo;

/// <summary>What a silo's role does to its container. Built, and at most started up to options validation: no database needed.</summary>
public sealed class SiloHostPciTests
{
    [Fact]
    public async Task PciSilo_WithoutStripeSecretKey_FailsStartupWithAClearMessage()
    {
        await using var silo = Build("pci", new() { ["Stripe:PublishableKey"] = "pk_test_x" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Stripe:SecretKey is required on a silo with the pci role", error.Message);
    }

    [Fact]
    public async Task PciSilo_LiveKeyInDevelopment_FailsStartupWithAClearMessage()
    {
        await using var silo = Build("pci", new()
        {
            ["Stripe:SecretKey"] = "sk_live_would_charge_real_cards",
            ["Stripe:PublishableKey"] = "pk_live_x",
            ["Stripe:WebhookSecret"] = "whsec_x",
        }, "Development");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Stripe:SecretKey is a live-mode key (sk_live_…/rk_live_…) but the environment is 'Development'", error.Message);
        Assert.DoesNotContain("would_charge_real_cards", error.Message);
    }

    [Fact]
    public async Task PciSilo_TestKeyInProduction_FailsStartup()
    {
        await using var silo = Build("pci", new()
        {
            ["Stripe:SecretKey"] = "sk_test_x",
            ["Stripe:PublishableKey"] = "pk_test_x",
            ["Stripe:WebhookSecret"] = "whsec_x",
        }, "Production");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("not a live-mode key", error.Message);
    }

    [Fact]
    public async Task PciSilo_WithoutWebhookSecret_FailsStartup()
    {
        await using var silo = Build("pci", new() { ["Stripe:SecretKey"] = "sk_test_x", ["Stripe:PublishableKey"] = "pk_test_x" }, "Development");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Stripe:WebhookSecret is required on a silo with the pci role", error.Message);
    }

    [Fact]
    public async Task CoreSilo_HasNoStripeAndCannotHostPciGrains()
    {
        await using var silo = Build("core", new() { ["Stripe:SecretKey"] = "sk_test_ignored" });

        var classes = silo.Services.GetRequiredService<IOptions<GrainTypeOptions>>().Value.Classes;

        Assert.Null(silo.Services.GetService(typeof(Stripe.StripeClient)));
        Assert.NotEmpty(PciGrainClasses.Among(typeof(PciServiceCollectionExtensions).Assembly.GetTypes()));
        Assert.Empty(PciGrainClasses.Among(typeof(PciServiceCollectionExtensions).Assembly.GetTypes()).Intersect(classes));
        Assert.Contains(typeof(Platform.Grains.Customers.CustomerGrain), classes);
    }

    [Fact]
    public async Task PciSilo_HostsPciGrainsAndHasStripe()
    {
        await using var silo = Build("pci", new() { ["Stripe:SecretKey"] = "sk_test_x", ["Stripe:PublishableKey"] = "pk_test_x", ["Stripe:WebhookSecret"] = "whsec_x" });

        var classes = silo.Services.GetRequiredService<IOptions<GrainTypeOptions>>().Value.Classes;

        Assert.NotNull(silo.Services.GetService(typeof(Stripe.StripeClient)));
        Assert.Subset(classes, PciGrainClasses.Among(typeof(PciServiceCollectionExtensions).Assembly.GetTypes()).ToHashSet());
    }

    [Fact]
    public async Task Silo_WithoutDataKeyOutsideDevelopment_FailsStartupWithAClearMessage()
    {
        await using var silo = Build("core", new() { ["Platform:DataKey"] = null });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Platform:DataKey is required in the 'Test' environment", error.Message);
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(string roles, Dictionary<string, string?> settings, string environment = "Test")
    {
        settings["ConnectionStrings:Platform"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none";
        settings["Silo:Roles"] = roles;
        settings["Silo:HttpPort"] = "0";
        settings.TryAdd("Platform:DataKey", Convert.ToBase64String(new byte[32]));
        return SiloHost.Build(["--environment", environment], builder => builder.Configuration.AddInMemoryCollection(settings));
    }
}
