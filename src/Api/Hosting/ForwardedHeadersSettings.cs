using System.Net;

namespace Platform.Api.Hosting;

/// <summary>
/// Behind a reverse proxy (the ingress of deploy/k8s): <c>Platform:TrustForwardedHeaders=true</c> takes the
/// client address and scheme from <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c>, but only from a peer in
/// <c>Platform:ForwardedHeaders:KnownNetworks</c> (CIDRs, the ingress controller's pod range) or
/// <c>KnownProxies</c> (addresses); each a list or one comma-separated string. From any other peer the headers
/// are ignored, so a client cannot choose the address its rate limits and lockouts count against. Trusting
/// forwarded headers without naming the proxies is refused at start.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SwitchKey = "Platform:TrustForwardedHeaders";
    public const string SectionName = "Platform:ForwardedHeaders";

    public required IReadOnlyList<IPNetwork> KnownNetworks { get; init; }

    public required IReadOnlyList<IPAddress> KnownProxies { get; init; }

    /// <summary>The settings when forwarded headers are trusted, or null when they are not.</summary>
    public static ForwardedHeadersSettings? From(IConfiguration configuration)
    {
        if (!configuration.GetValue(SwitchKey, false))
        {
            return null;
        }
        var networks = List(configuration, "KnownNetworks").Select(text => IPNetwork.TryParse(text, out var network)
            ? network
            : throw new InvalidOperationException($"{SectionName}:KnownNetworks: '{text}' is not a CIDR range (e.g. 10.244.0.0/16).")).ToList();
        var proxies = List(configuration, "KnownProxies").Select(text => IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidOperationException($"{SectionName}:KnownProxies: '{text}' is not an IP address.")).ToList();
        if (networks.Count == 0 && proxies.Count == 0)
        {
            throw new InvalidOperationException(
                $"{SwitchKey}=true needs {SectionName}:KnownNetworks (the ingress controller's address range) or KnownProxies: "
                + "otherwise any client could set X-Forwarded-For and choose the address it is counted as.");
        }
        return new ForwardedHeadersSettings { KnownNetworks = networks, KnownProxies = proxies };
    }

    private static IEnumerable<string> List(IConfiguration configuration, string name)
    {
        var section = configuration.GetSection(SectionName).GetSection(name);
        var values = section.Get<string[]>() ?? (section.Value is { } single ? single.Split(',') : []);
        return values.Select(v => v.Trim()).Where(v => v.Length > 0);
    }
}
