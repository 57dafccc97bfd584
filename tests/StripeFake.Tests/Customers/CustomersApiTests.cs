using System.Net;
using Stripe;

namespace Platform.StripeFake.Tests.Customers;

[Collection(StripeFakeCollection.Name)]
public sealed class CustomersApiTests(StripeFakeFixture fixture)
{
    [Fact]
    public async Task Create_ThenGet_ReturnsSameCustomerWithMetadata()
    {
        var client = fixture.CreateClient();

        var created = await client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = "ada@example.com",
            Name = "Ada",
            Metadata = new Dictionary<string, string> { ["tenant"] = "ten_1" },
        });
        var fetched = await client.V1.Customers.GetAsync(created.Id);

        Assert.StartsWith("cus_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal("ada@example.com", fetched.Email);
        Assert.Equal("ten_1", fetched.Metadata["tenant"]);
        Assert.False(fetched.Livemode);
    }

    [Fact]
    public async Task Update_Metadata_MergesAndUnsetsEmptyKeys()
    {
        var client = fixture.CreateClient();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        });

        var updated = await client.V1.Customers.UpdateAsync(customer.Id, new CustomerUpdateOptions
        {
            Name = "Renamed",
            Metadata = new Dictionary<string, string> { ["b"] = string.Empty, ["c"] = "3" },
        });

        Assert.Equal("Renamed", updated.Name);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, updated.Metadata);
    }

    [Fact]
    public async Task Delete_ThenGet_ReportsDeleted()
    {
        var client = fixture.CreateClient();
        var customer = await fixture.NewCustomerAsync(client);

        var deleted = await client.V1.Customers.DeleteAsync(customer.Id);
        var fetched = await client.V1.Customers.GetAsync(customer.Id);

        Assert.True(deleted.Deleted);
        Assert.True(fetched.Deleted);
    }

    [Fact]
    public async Task Get_UnknownId_Throws404ResourceMissing()
    {
        var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.Customers.GetAsync("cus_missing"));

        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Equal("resource_missing", error.StripeError.Code);
    }

    [Fact]
    public async Task Create_WrongApiKey_Throws401()
    {
        await using var server = await StripeFakeServer.StartAsync(new StripeFakeOptions { ApiKey = "sk_test_right" });
        var wrong = StripeFakeFixture.CreateClient(server, apiKey: "sk_test_wrong");
        var right = StripeFakeFixture.CreateClient(server, apiKey: "sk_test_right");

        var error = await Assert.ThrowsAsync<StripeException>(() => wrong.V1.Customers.CreateAsync(new CustomerCreateOptions()));
        var customer = await right.V1.Customers.CreateAsync(new CustomerCreateOptions());

        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.StartsWith("cus_", customer.Id, StringComparison.Ordinal);
    }
}
