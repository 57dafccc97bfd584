using System.Collections.Concurrent;
using System.Diagnostics;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Telemetry;

[Collection(ClusterCollection.Name)]
public sealed class TracingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ApiRequest_TraceContinuesIntoTheGrainsItCalls()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        // The test is the caller: its span's context goes out in the traceparent header.
        using var caller = new Activity("test caller").Start();
        using (var admin = fixture.Cluster.AdminClient())
        {
            (await admin.GetAsync("/v1/tenants?limit=1")).EnsureSuccessStatusCode();
        }
        caller.Stop();

        var trace = spans.Where(s => s.TraceId == caller.TraceId).ToList();
        var request = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
        // The grain call leaves the API (client span, child of the request) and runs on a silo (server span).
        var outgoing = Assert.Single(trace, s => s.Source.Name == "Microsoft.Orleans.Application" && s.Kind == ActivityKind.Client
            && s.DisplayName.Contains("ITenantDirectoryGrain", StringComparison.Ordinal));
        var incoming = Assert.Single(trace, s => s.Source.Name == "Microsoft.Orleans.Application" && s.Kind == ActivityKind.Server
            && s.DisplayName.Contains("ITenantDirectoryGrain", StringComparison.Ordinal));
        Assert.Equal(request.SpanId, outgoing.ParentSpanId);
        Assert.Equal(outgoing.SpanId, incoming.ParentSpanId);
    }
}
