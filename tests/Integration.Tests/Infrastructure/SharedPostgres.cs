namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run (xunit 2 has no assembly fixture): started on first use,
/// stopped and deleted when the test process exits. Each fixture creates its own database on it.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);

    public static Task<PostgresServer> GetAsync() => Server.Value;

    private static async Task<PostgresServer> StartAsync()
    {
        var server = await PostgresServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
