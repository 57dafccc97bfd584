using System.Collections;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Api.Security;

/// <summary>
/// Wraps every logging provider the host registered (console, JSON console, others) so each message and
/// each structured value passes <see cref="LogRedactor"/> before any provider sees it. Wrapping at the
/// provider level covers framework and library log lines too, not only ours.
/// </summary>
public sealed class RedactingLoggerProvider(IEnumerable<ILoggerProvider> inner) : ILoggerProvider, ISupportExternalScope
{
    private readonly ILoggerProvider[] _inner = inner.ToArray();
    private long _linesRedacted;

    /// <summary>Log lines whose message held card data (or other sensitive data) that was redacted before any provider saw it.</summary>
    public long LinesRedacted => Interlocked.Read(ref _linesRedacted);

    public ILogger CreateLogger(string categoryName) =>
        new RedactingLogger(_inner.Select(p => p.CreateLogger(categoryName)).ToArray(), this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        foreach (var provider in _inner.OfType<ISupportExternalScope>())
        {
            provider.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose()
    {
        foreach (var provider in _inner)
        {
            provider.Dispose();
        }
    }

    /// <summary>Moves every registered provider behind one redacting provider. Call after all providers are added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        var registrations = services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
        foreach (var registration in registrations)
        {
            services.Remove(registration);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, RedactingLoggerProvider>(sp =>
            new RedactingLoggerProvider(registrations.Select(r => Resolve(sp, r)))));
    }

    private static ILoggerProvider Resolve(IServiceProvider services, ServiceDescriptor registration) =>
        (ILoggerProvider)(registration.ImplementationInstance
            ?? registration.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registration.ImplementationType!));

    private sealed class RedactingLogger(ILogger[] inner, RedactingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            inner.Length == 1 ? inner[0].BeginScope(state) : new Scopes(inner.Select(l => l.BeginScope(state)).ToArray());

        public bool IsEnabled(LogLevel logLevel) => inner.Any(l => l.IsEnabled(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var original = formatter(state, exception);
            var message = LogRedactor.Redact(original);
            if (!string.Equals(original, message, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref provider._linesRedacted);
            }
            var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
            var redacted = new RedactedState(message, values);
            var safeException = exception is null ? null : new RedactedException(exception);
            foreach (var logger in inner)
            {
                if (logger.IsEnabled(logLevel))
                {
                    logger.Log(logLevel, eventId, redacted, safeException, static (s, _) => s.Message);
                }
            }
        }
    }

    /// <summary>The structured values, each string redacted; the message template is kept.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>>? values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values = values?.Select(v => new KeyValuePair<string, object?>(v.Key,
            v.Key == "{OriginalFormat}" ? v.Value : v.Value is null ? null : LogRedactor.Redact(Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""))).ToArray() ?? [];

        public string Message => message;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public int Count => _values.Length;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    /// <summary>An exception's text, redacted; exception messages can quote the input that caused them.</summary>
    private sealed class RedactedException(Exception original)
        : Exception(LogRedactor.Redact(original.Message))
    {
        public override string? StackTrace => original.StackTrace;

        public override string ToString() => LogRedactor.Redact(original.ToString());
    }

    private sealed class Scopes(IDisposable?[] scopes) : IDisposable
    {
        public void Dispose()
        {
            foreach (var scope in scopes)
            {
                scope?.Dispose();
            }
        }
    }
}
