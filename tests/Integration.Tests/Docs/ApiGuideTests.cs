using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Docs;

/// <summary>docs/API.md is executable (<see cref="GuideScript"/>, marker <c>api-example</c>) against the shared cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiGuideTests(ClusterFixture fixture)
{
    [Fact]
    public Task ApiGuide_ExamplesRunAgainstALiveApi() =>
        GuideScript.RunAsync("API.md", "api-example", 8, fixture.Cluster.ApiUrls[0], fixture.Cluster.AdminToken);
}
