using System.Net;
using System.Net.Sockets;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a server (PostgreSQL in the outage tests) that can be cut:
/// <see cref="Cut"/> resets every open connection and refuses new ones, as a database that went away;
/// <see cref="Restore"/> lets connections through again. The server itself keeps running, so the test
/// controls exactly when the outage starts and ends.
/// </summary>
public sealed class TcpCutProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient A, TcpClient B)> _open = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpCutProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _cut = true;
        lock (_gate)
        {
            foreach (var (a, b) in _open)
            {
                a.Client.LingerState = new LingerOption(true, 0);
                a.Dispose();
                b.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_cut)
            {
                inbound.Client.LingerState = new LingerOption(true, 0);
                inbound.Dispose();
                continue;
            }
            _ = PipeAsync(inbound);
        }
    }

    private async Task PipeAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_target, _stop.Token);
            lock (_gate)
            {
                _open.Add((inbound, outbound));
            }
            await Task.WhenAny(CopyAsync(inbound, outbound), CopyAsync(outbound, inbound));
        }
        catch (Exception)
        {
            // A cut or a closed side: both are closed below.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove((inbound, outbound));
            }
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private async Task CopyAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        }
        catch (Exception)
        {
            // Reset by a cut, or closed by the other side.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
