using Stripe;

namespace Platform.StripeFake.Tests;

/// <summary>One fake and one webhook receiver per collection; each test makes its own customers.</summary>
public sealed class StripeFakeFixture : IAsyncLifetime
{
    public const string ApiKey = "sk_test_stripefake";

    public StripeFakeServer Server { get; private set; } = null!;

    public WebhookReceiver Receiver { get; } = new();

    public async Task InitializeAsync()
    {
        Receiver.Start();
        Server = await StripeFakeServer.StartAsync(new StripeFakeOptions
        {
            WebhookUrl = Receiver.Url,
            WebhookSecret = "whsec_tests_secret",
            WebhookRetryDelay = TimeSpan.FromMilliseconds(50),
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Receiver.Dispose();
    }

    /// <summary>The real Stripe.net client pointed at the fake.</summary>
    public StripeClient CreateClient(int maxNetworkRetries = 2, TimeSpan? timeout = null) => CreateClient(Server, maxNetworkRetries, timeout);

    public static StripeClient CreateClient(StripeFakeServer server, int maxNetworkRetries = 2, TimeSpan? timeout = null, string apiKey = ApiKey) =>
        new(new StripeClientOptions
        {
            ApiKey = apiKey,
            ApiBase = server.BaseUrl,
            HttpClient = new SystemNetHttpClient(
                new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) },
                maxNetworkRetries),
        });

    public async Task<Customer> NewCustomerAsync(StripeClient client) =>
        await client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = $"{Guid.NewGuid():N}@example.com",
            Name = "Test Customer",
        });
}
