using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Integration.Tests.Webhooks;

/// <summary>A request the receiver got: when, the headers that matter, the raw body, and what it answered.</summary>
public sealed record ReceivedWebhook(DateTimeOffset At, string Signature, string DeliveryId, string EventId, string ContentType, string Body, int Answered);

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, a free port): each path answers by its own rule
/// (status code and delay by call number) and records every request, so tests see exactly what a
/// tenant's backend would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<int, Task<int>>> _rules = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedWebhook>> _received = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>A fresh path answering 200 unless told otherwise; the URL to subscribe.</summary>
    public string NewUrl(out string path, Func<int, Task<int>>? rule = null)
    {
        path = "hook-" + Guid.NewGuid().ToString("N")[..10];
        _rules[path] = rule ?? (_ => Task.FromResult(200));
        return new Uri(BaseAddress, path).ToString();
    }

    public void Answer(string path, Func<int, Task<int>> rule) => _rules[path] = rule;

    public IReadOnlyList<ReceivedWebhook> Received(string path) =>
        _received.TryGetValue(path, out var queue) ? queue.ToArray() : [];

    /// <summary>Waits until the path's requests satisfy <paramref name="done"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitAsync(string path, Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var received = Received(path);
            if (done(received))
            {
                return received;
            }
            if (cancel.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Receiver path {path} got {received.Count} requests ({string.Join(", ", received.Select(r => r.Answered))}) in {timeout}, not what the test waited for.");
            }
            await Task.Delay(50);
        }
    }

    private async Task HandleAsync(HttpContext context, string path)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var call = _calls.AddOrUpdate(path, 1, (_, n) => n + 1);
        var status = _rules.TryGetValue(path, out var rule) ? await rule(call) : 404;
        var headers = context.Request.Headers;
        _received.GetOrAdd(path, _ => new ConcurrentQueue<ReceivedWebhook>()).Enqueue(new ReceivedWebhook(
            DateTimeOffset.UtcNow, headers["Platform-Signature"].ToString(), headers["Platform-Delivery-Id"].ToString(),
            headers["Platform-Event-Id"].ToString(), headers.ContentType.ToString(), body, status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
