using System.Net;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

[Collection(ClusterCollection.Name)]
public sealed class HealthTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task ApiHealth_IsAnonymousAndHealthy(string path)
    {
        using var client = fixture.Cluster.Client();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SiloHealth_IsReadyOnEverySilo()
    {
        foreach (var silo in fixture.Cluster.Silos)
        {
            using var client = new HttpClient { BaseAddress = PlatformCluster.HttpAddress(silo) };
            var response = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task UnknownRoute_WithCredential_Is404ProblemDetails()
    {
        using var client = fixture.Cluster.AdminClient();
        var response = await client.GetAsync("/v1/nothing_here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
