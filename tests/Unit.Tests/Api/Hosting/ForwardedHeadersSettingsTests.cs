using System.Net;
using Microsoft.Extensions.Configuration;
using Platform.Api.Hosting;

namespace Platform.Unit.Tests.Api.Hosting;

/// <summary>Issue 25 item 3: forwarded headers are trusted from named proxies only, never from anyone.</summary>
public sealed class ForwardedHeadersSettingsTests
{
    [Fact]
    public void From_TrustWithoutKnownProxies_RefusesToStart()
    {
        var configuration = Configuration(new() { ["Platform:TrustForwardedHeaders"] = "true" });

        var refused = Assert.Throws<InvalidOperationException>(() => ForwardedHeadersSettings.From(configuration));

        Assert.Contains("KnownNetworks", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ACommaSeparatedListOrAnArray_IsReadAsNetworksAndProxies()
    {
        var listed = ForwardedHeadersSettings.From(Configuration(new()
        {
            ["Platform:TrustForwardedHeaders"] = "true",
            ["Platform:ForwardedHeaders:KnownNetworks"] = "10.244.0.0/16, fd00::/8",
        }))!;
        var indexed = ForwardedHeadersSettings.From(Configuration(new()
        {
            ["Platform:TrustForwardedHeaders"] = "true",
            ["Platform:ForwardedHeaders:KnownProxies:0"] = "10.0.0.7",
        }))!;

        Assert.Equal([IPNetwork.Parse("10.244.0.0/16"), IPNetwork.Parse("fd00::/8")], listed.KnownNetworks);
        Assert.Empty(listed.KnownProxies);
        Assert.Equal([IPAddress.Parse("10.0.0.7")], indexed.KnownProxies);
    }

    [Fact]
    public void From_NotTrusted_IsNull_AndABadRangeIsRefused()
    {
        Assert.Null(ForwardedHeadersSettings.From(Configuration(new() { ["Platform:ForwardedHeaders:KnownNetworks"] = "10.0.0.0/8" })));
        Assert.Throws<InvalidOperationException>(() => ForwardedHeadersSettings.From(Configuration(new()
        {
            ["Platform:TrustForwardedHeaders"] = "true",
            ["Platform:ForwardedHeaders:KnownNetworks"] = "everyone",
        })));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
