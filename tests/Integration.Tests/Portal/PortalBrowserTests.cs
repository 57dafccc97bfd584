using System.Net.Http.Json;
using Microsoft.Playwright;
using Platform.Integration.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Platform.Integration.Tests.Portal;

/// <summary>
/// The portal in a real browser (Debian's Chromium through Playwright) against the full stack over real HTTP: the
/// session link, the plan, live usage without a reload, an invoice on screen, in print and at phone width, an invoice
/// paid with a saved card after a decline, the default card changed, a card added through the Stripe fake's hosted
/// Checkout page, a plan change, cancel at period end and its undo. Every page
/// is saved as a screenshot under artifacts/portal-screenshots/. Every wait is on a selector or text.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalBrowserTests(PortalClusterFixture fixture, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task SessionLink_OpensThePlan_UsageChangesLiveWithoutAReload_AndTheLinkIsRefusedASecondTime()
    {
        var scenario = await fixture.ScenarioAsync();
        var url = (await fixture.PortalSessionAsync(scenario.Secret, scenario.CustomerId)).GetProperty("url").GetString()!;
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = ConsoleErrors(page);

        await page.GotoAsync(url);

        await Expect(page).ToHaveURLAsync(fixture.ApiUrl + "portal");
        await Expect(page.Locator("#plan-name")).ToHaveTextAsync("Starter");
        await Expect(page.Locator("#plan-status")).ToHaveTextAsync("Active");
        await Expect(page.Locator("header.brand .tenant")).ToHaveTextAsync("Acme Cloud");
        await browser.ScreenshotAsync(page, "01-overview");

        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
        var used = page.Locator("tr[data-metric='api_calls'] .usage-value");
        await Expect(used).ToHaveTextAsync("0");
        // A mark on this document: a reload or navigation would drop it.
        await page.EvaluateAsync("() => { window.portalTestMark = 'same document'; }");

        await fixture.ReportUsageAsync(scenario.Secret, scenario.CustomerId, "api_calls", 42);

        await Expect(used).ToHaveTextAsync("42");
        await Expect(page.Locator("#usage-live")).ToHaveTextAsync("Updated: api_calls: 42 of 1,000.");
        // 42 of 1,000 on a 260-unit track.
        await Expect(page.Locator("g[data-metric='api_calls'] rect.bar")).ToHaveAttributeAsync("width", "11");
        Assert.Equal("same document", await page.EvaluateAsync<string>("() => window.portalTestMark"));
        await browser.ScreenshotAsync(page, "02-usage-live");
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // The same link in another browser is refused: it opens once.
        await using var other = await browser.NewContextAsync();
        var second = await other.NewPageAsync();
        var refused = await second.GotoAsync(url);
        Assert.Equal(410, refused!.Status);
        await Expect(second.Locator("h1")).ToHaveTextAsync("This billing link was already used");
        await browser.ScreenshotAsync(second, "00-link-already-used");
    }

    [Fact]
    public async Task Invoice_OpensFromTheList_PrintsWithoutThePortalChrome_AndFitsAPhone()
    {
        var scenario = await fixture.ScenarioAsync();
        var invoice = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1, apiCalls: 250);
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context, scenario);
        var errors = ConsoleErrors(page);

        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Invoices" }).ClickAsync();
        await Expect(page.Locator($"tr[data-invoice='{invoice.Id}']")).ToContainTextAsync("22.00 USD");
        await browser.ScreenshotAsync(page, "03-invoices");
        await page.GetByRole(AriaRole.Link, new() { Name = invoice.Number! }).ClickAsync();

        await Expect(page).ToHaveURLAsync($"{fixture.ApiUrl}portal/invoices/{invoice.Id}");
        await Expect(page.Locator("#invoice-number")).ToHaveTextAsync(invoice.Number!);
        await Expect(page.Locator("#invoice-from")).ToHaveTextAsync("Acme Cloud");
        await Expect(page.Locator("#invoice-lines tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#invoice-total")).ToHaveTextAsync("22.00 USD");
        await Expect(page.Locator("#invoice-remaining")).ToHaveTextAsync("22.00 USD");
        // The script (CSP script-src 'self') reveals the print button.
        await Expect(page.Locator("#print-invoice")).ToBeVisibleAsync();
        await Expect(page.Locator("nav")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "04-invoice");

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("nav")).ToBeHiddenAsync();
        await Expect(page.Locator("header.brand")).ToBeHiddenAsync();
        await Expect(page.Locator("footer")).ToBeHiddenAsync();
        await Expect(page.Locator("#print-invoice")).ToBeHiddenAsync();
        await Expect(page.Locator("#invoice-lines")).ToBeVisibleAsync();
        await Expect(page.Locator("#invoice-from")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "05-invoice-print");
        var pdf = await page.PdfAsync(new() { Path = Path.Combine(browser.ScreenshotDirectory, "05-invoice.pdf"), Format = "A4" });
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.Locator("#invoice-total")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the invoice scrolls sideways at 390px");
        await browser.ScreenshotAsync(page, "06-invoice-phone-390px");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task PayInvoice_ADeclineIsShownOnTheInvoice_AnotherSavedCardPaysIt_ThenTheDefaultCardIsChanged()
    {
        var scenario = await fixture.ScenarioAsync();
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var visa = await AttachAsync(tenant, "pm_card_visa", scenario.CustomerId);
        var declining = await AttachAsync(tenant, "pm_card_chargeDeclined", scenario.CustomerId);
        var invoice = await fixture.InvoiceAsync(scenario, scenario.CustomerId, monthsBack: 1, apiCalls: 250);
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context, scenario);
        var errors = ConsoleErrors(page);

        await page.GotoAsync($"{fixture.ApiUrl}portal/invoices/{invoice.Id}");
        var pay = page.GetByRole(AriaRole.Button, new() { Name = "Pay 22.00 USD" });
        await Expect(pay).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Visa ending in 4242")).ToBeCheckedAsync();
        await browser.ScreenshotAsync(page, "13-invoice-pay-form");

        await page.GetByLabel("Visa ending in 0002").CheckAsync();
        await pay.ClickAsync();
        await Expect(page.Locator("#pay-error")).ToContainTextAsync("Your card was declined.");
        await Expect(page.Locator("#invoice-status")).ToHaveTextAsync("Due");
        await browser.ScreenshotAsync(page, "14-invoice-pay-declined");

        await page.GetByLabel("Visa ending in 4242").CheckAsync();
        await pay.ClickAsync();
        await Expect(page).ToHaveURLAsync($"{fixture.ApiUrl}portal/invoices/{invoice.Id}?done=paid");
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Paid. Thank you.");
        await Expect(page.Locator("#invoice-status")).ToHaveTextAsync("Paid");
        await Expect(page.Locator("#pay-form")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "15-invoice-paid");
        var paid = await ClusterFixture.Json(await tenant.GetAsync($"/v1/invoices/{invoice.Id}"));
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal(2, paid.GetProperty("attempt_count").GetInt32());

        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Payment methods" }).ClickAsync();
        await Expect(page.Locator($"li[data-payment-method='{visa}'] .default-card")).ToHaveTextAsync("Default");
        await page.Locator($"li[data-payment-method='{declining}']").GetByRole(AriaRole.Button, new() { Name = "Make default" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Your default card was changed.");
        await Expect(page.Locator($"li[data-payment-method='{declining}'] .default-card")).ToHaveTextAsync("Default");
        await Expect(page.Locator($"li[data-payment-method='{visa}'] .default-card")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "16-payment-methods-default");
        var customer = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}"));
        Assert.Equal(declining, customer.GetProperty("invoice_settings").GetProperty("default_payment_method").GetString());
        // Chromium logs the declined page's 402 as a failed load; nothing else (no CSP violation, no script error).
        var other = errors.Where(e => !e.StartsWith("Failed to load resource: the server responded with a status of 402", StringComparison.Ordinal)).ToList();
        Assert.True(other.Count == 0, string.Join("\n", other));
    }

    [Fact]
    public async Task AddCard_ThroughTheStripeFakesCheckoutPage_ComesBackSavedAndListed()
    {
        var scenario = await fixture.ScenarioAsync();
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context, scenario);

        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Payment methods" }).ClickAsync();
        await Expect(page.Locator("#no-cards")).ToHaveTextAsync("No card is saved.");
        await browser.ScreenshotAsync(page, "07-payment-methods");
        await page.Locator("#add-card").ClickAsync();

        // Stripe's hosted page (the fake's), on its own origin: the card is typed there, never on the portal.
        await Expect(page.Locator("h1")).ToHaveTextAsync("Save a card");
        Assert.StartsWith(fixture.Stripe.BaseUrl.ToString().TrimEnd('/'), page.Url);
        await page.Locator("#payment_method").SelectOptionAsync("pm_card_visa");
        await browser.ScreenshotAsync(page, "08-stripe-checkout");
        await page.Locator("#submit").ClickAsync();

        await Expect(page).ToHaveURLAsync($"{fixture.ApiUrl}portal/payment_methods?done=added");
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Your card was saved.");
        await Expect(page.Locator(".saved-card")).ToHaveCountAsync(1);
        await Expect(page.Locator(".saved-card")).ToContainTextAsync("Visa ending in 4242");
        await browser.ScreenshotAsync(page, "09-card-saved");
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        var cards = await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/payment_methods"));
        Assert.Equal("4242", Assert.Single(cards.GetProperty("data").EnumerateArray()).GetProperty("card").GetProperty("last4").GetString());
    }

    [Fact]
    public async Task ChangePlan_ThenCancelAtPeriodEnd_AndUndoIt()
    {
        var scenario = await fixture.ScenarioAsync();
        using var tenant = fixture.Cluster.Client(scenario.Secret);
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context, scenario);

        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Plan", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Switch to Growth" }).ClickAsync();
        await Expect(page.Locator("#preview-new")).ToContainTextAsync("Growth, 99.00 USD per month");
        await browser.ScreenshotAsync(page, "10-plan-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm switch to Growth" }).ClickAsync();

        await Expect(page.Locator(".notice")).ToHaveTextAsync("Your plan was changed.");
        await Expect(page.Locator(".plan.current h3")).ToHaveTextAsync("Growth");
        Assert.Equal(scenario.GrowthPlan, (await Subscription(tenant, scenario)).GetProperty("plan").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel at period end" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Your plan will end at the end of the current period.");
        await Expect(page.Locator("#cancel-state")).ToContainTextAsync("Your plan ends on");
        Assert.True((await Subscription(tenant, scenario)).GetProperty("cancel_at_period_end").GetBoolean());
        await browser.ScreenshotAsync(page, "11-plan-canceling");

        await page.GetByRole(AriaRole.Button, new() { Name = "Keep my plan" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Your plan will renew as usual.");
        await Expect(page.Locator("#cancel-state")).ToContainTextAsync("Your plan renews on");
        var subscription = await Subscription(tenant, scenario);
        Assert.False(subscription.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.Equal(scenario.GrowthPlan, subscription.GetProperty("plan").GetString());
        await browser.ScreenshotAsync(page, "12-plan-resumed");

        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Expect(page.Locator("#plan-name")).ToHaveTextAsync("Growth");
        await Expect(page.Locator("#plan-renews")).ToBeVisibleAsync();
    }

    /// <summary>Opens a new portal session for the scenario's customer in <paramref name="context"/>; the overview is showing.</summary>
    private async Task<IPage> OpenAsync(IBrowserContext context, PortalScenario scenario)
    {
        var url = (await fixture.PortalSessionAsync(scenario.Secret, scenario.CustomerId)).GetProperty("url").GetString()!;
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await Expect(page.Locator("#plan-name")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Errors the page logs (a CSP violation among them) and scripts it throws.</summary>
    private static List<string> ConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    private static async Task<string> AttachAsync(HttpClient tenant, string testCard, string customer) =>
        (await ClusterFixture.Json(await tenant.PostAsJsonAsync($"/v1/payment_methods/{testCard}/attach", new { customer }))).GetProperty("id").GetString()!;

    private static async Task<System.Text.Json.JsonElement> Subscription(HttpClient tenant, PortalScenario scenario) =>
        await ClusterFixture.Json(await tenant.GetAsync($"/v1/customers/{scenario.CustomerId}/subscription"));
}
