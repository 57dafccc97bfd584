using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Webhooks;

/// <summary>
/// The SSRF guard. A tenant names a URL and our silos POST to it, so without a guard a tenant could
/// reach the cloud metadata service (169.254.169.254), the database or any internal system. The URL is
/// checked when the endpoint is created, and every connection is checked again when it is made
/// (<see cref="ConnectAsync"/> is the delivery client's ConnectCallback): the host is resolved there and
/// the socket connects only to the addresses just checked, so a DNS answer that changes after creation
/// (DNS rebinding) cannot slip through between the check and the connect.
/// </summary>
public sealed class WebhookAddressGuard(IOptions<WebhookOptions> options)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Null when the URL may be used, else why not (safe to show to the tenant).</summary>
    public async Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return "url must be an absolute URL such as https://example.com/webhooks.";
        }
        var requireHttps = options.Value.RequireHttps ?? true;
        if (uri.Scheme != Uri.UriSchemeHttps && (requireHttps || uri.Scheme != Uri.UriSchemeHttp))
        {
            return requireHttps ? "url must use https." : "url must use https or http.";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "url must not carry a user name or password.";
        }
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "url must not have a fragment.";
        }
        try
        {
            await ResolveAllowedAsync(uri.IdnHost, cancellationToken);
            return null;
        }
        catch (WebhookAddressRefusedException refused)
        {
            return refused.Message;
        }
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: resolve, check every address, connect only to those.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAllowedAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new WebhookAddressRefusedException($"url host '{host}' could not be resolved.");
            }
        }
        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"url host '{host}' has no addresses.");
        }
        // Every address, not just the first: a host answering with one public and one private address
        // would otherwise let the connection land on the private one.
        if (!options.Value.AllowPrivateNetworks && addresses.FirstOrDefault(a => !IsPublic(a)) is { } refused)
        {
            throw new WebhookAddressRefusedException(
                $"url must not point to a loopback, link-local, private or reserved address ({host} resolves to {refused}).");
        }
        return addresses;
    }

    /// <summary>Whether an address is on the public internet (not loopback, private, link-local, CGNAT, ULA, reserved).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                   // 0.0.0.0/8 "this network"
                     || b[0] == 10                               // RFC 1918
                     || (b[0] == 100 && b[1] >= 64 && b[1] < 128) // 100.64/10 CGNAT
                     || b[0] == 127                              // loopback
                     || (b[0] == 169 && b[1] == 254)             // link-local, cloud metadata
                     || (b[0] == 172 && b[1] >= 16 && b[1] < 32) // RFC 1918
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // IETF protocol assignments
                     || (b[0] == 192 && b[1] == 0 && b[2] == 2)  // TEST-NET-1
                     || (b[0] == 192 && b[1] == 168)             // RFC 1918
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)  // TEST-NET-2
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113)   // TEST-NET-3
                     || b[0] >= 224);                            // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
            {
                return false;
            }
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC                               // fc00::/7 unique local
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)) // 2001:db8::/32 documentation
            {
                return false;
            }
            // Addresses that carry an IPv4 address inside are judged by it: NAT64 64:ff9b::/96 and 6to4 2002::/16.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].All(x => x == 0))
            {
                return IsPublic(new IPAddress(b[12..16]));
            }
            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return IsPublic(new IPAddress(b[2..6]));
            }
            // Any other address in ::/8 (IPv4-compatible, unspecified forms) is not a public unicast address.
            return b[0] != 0x00;
        }
        return false;
    }
}
