using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Docs;

/// <summary>
/// docs/API.md's payments, refunds, usage and webhooks walkthrough (marker <c>payments-example</c>) needs Stripe: it runs
/// on the PCI cluster with the Stripe fake, after the guide's <c>api-example</c> blocks that make its tenant, key and customer.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class PaymentsGuideTests(PciClusterFixture fixture)
{
    [Fact]
    public Task PaymentsGuide_ExamplesRunAgainstALiveApiWithTheStripeFake() =>
        GuideScript.RunAsync("API.md", "api-example|payments-example", 25, fixture.Cluster.ApiUrls[0], fixture.Cluster.AdminToken);
}
