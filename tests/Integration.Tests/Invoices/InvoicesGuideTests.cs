using Platform.Integration.Tests.Docs;

namespace Platform.Integration.Tests.Invoices;

/// <summary>docs/INVOICES.md is executable (<see cref="GuideScript"/>, marker <c>invoices-example</c>) against the billing cluster.</summary>
[Collection(CollectionCollection.Name)]
public sealed class InvoicesGuideTests(CollectionClusterFixture fixture)
{
    [Fact]
    public Task InvoicesGuide_ExamplesRunAgainstALiveApi() =>
        GuideScript.RunAsync("INVOICES.md", "invoices-example", 8, fixture.Cluster.ApiUrls[0], fixture.Cluster.AdminToken);
}
