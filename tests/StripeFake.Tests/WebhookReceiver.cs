using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Platform.StripeFake.Tests;

/// <summary>A loopback HTTP endpoint that records webhook deliveries (raw body and Stripe-Signature).</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Lock _sync = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly Channel<ReceivedWebhook> _arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
    private int _failuresToAnswer;

    public string Url { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_sync)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> deliveries are answered 500, to exercise retries.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresToAnswer, count);

    public void Start()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/webhook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    /// <summary>Waits for a delivery of <paramref name="type"/> whose object has id <paramref name="objectId"/>.</summary>
    public async Task<ReceivedWebhook> WaitForAsync(string type, string objectId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var found = Received.FirstOrDefault(r => r.Type == type && r.ObjectId == objectId);
            if (found is not null)
            {
                return found;
            }

            await _arrivals.Reader.WaitToReadAsync(cancellation.Token);
            _arrivals.Reader.TryRead(out _);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Decrement(ref _failuresToAnswer) >= 0)
            {
                context.Response.StatusCode = 500;
                context.Response.Close();
                continue;
            }

            var json = JsonNode.Parse(body);
            var webhook = new ReceivedWebhook(
                body,
                context.Request.Headers["Stripe-Signature"] ?? string.Empty,
                (string?)json?["type"] ?? string.Empty,
                (string?)json?["data"]?["object"]?["id"] ?? string.Empty);
            lock (_sync)
            {
                _received.Add(webhook);
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
            _arrivals.Writer.TryWrite(webhook);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
