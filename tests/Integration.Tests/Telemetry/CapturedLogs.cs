using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Platform.Integration.Tests.Telemetry;

/// <summary>A logger provider that keeps every entry with its scopes' key/value pairs, to inspect what a host logs.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new Dictionary<string, string?>();
            var text = new List<string> { formatter(state, exception), exception?.ToString() ?? "" };
            owner._scopes.ForEachScope((scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        scopes[key] = value?.ToString();
                    }
                }
                text.Add(scope?.ToString() ?? "");
            }, (object?)null);
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                text.AddRange(properties.Select(p => $"{p.Key}={p.Value}"));
            }
            owner.Entries.Enqueue(new CapturedLogEntry(category, logLevel, string.Join(" | ", text), scopes));
        }
    }
}

public sealed record CapturedLogEntry(string Category, LogLevel Level, string Text, IReadOnlyDictionary<string, string?> Scopes);
