using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Api.Security;

namespace Platform.Unit.Tests.Api.Security;

public sealed class RedactingLoggerProviderTests
{
    [Fact]
    public void EveryProvider_SeesMessagesValuesAndExceptionsRedacted()
    {
        var capture = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        RedactingLoggerProvider.WrapAll(services);
        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Test");

        logger.LogWarning(new InvalidOperationException("bad card 4242424242424242"),
            "Caller {Key} sent {Body} with {Header}", "sk_AAAAAAAAAAAAAAAAAAAA_secretsecretsecret", "pan 5555 5555 5555 4444", "Bearer adm_topsecret");

        var entry = Assert.Single(capture.Entries);
        Assert.DoesNotContain("secretsecret", entry.Message);
        Assert.DoesNotContain("5555 5555", entry.Message);
        Assert.DoesNotContain("adm_topsecret", entry.Message);
        Assert.Contains("sk_[REDACTED]", entry.Message);
        Assert.DoesNotContain(entry.Values, v => v.Contains("secretsecret") || v.Contains("5555 5555") || v.Contains("topsecret"));
        Assert.DoesNotContain("4242424242424242", entry.Exception);
    }

    [Theory]
    [InlineData("whsec_abcdefghijklmnop", "whsec_[REDACTED]")]
    [InlineData("cust_cus_AAAAAAAAAAAAAAAAAAAA_bbbbbbbbbbbbbbbbbbbb", "cust_[REDACTED]")]
    [InlineData("sk_live_abcdefghijklmnop", "sk_live_[REDACTED]")]
    [InlineData("token eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end", "token [REDACTED] end")]
    [InlineData("nothing to hide: cus_123 ten_456", "nothing to hide: cus_123 ten_456")]
    public void Redact_RemovesCredentials(string input, string expected) => Assert.Equal(expected, LogRedactor.Redact(input));

    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<(string Message, List<string> Values, string Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(List<(string, List<string>, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = (state as IEnumerable<KeyValuePair<string, object?>>)?.Select(v => v.Value?.ToString() ?? "").ToList() ?? [];
                entries.Add((formatter(state, exception), values, exception?.ToString() ?? ""));
            }
        }
    }
}
