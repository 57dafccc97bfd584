using System.Net.Sockets;
using Npgsql;
using Platform.Grains.Interfaces.Common;

namespace Platform.Silo.Reliability;

/// <summary>
/// A grain call that failed because PostgreSQL could not be reached (grain state, reminders, our own
/// tables) leaves the silo as the one refusal the API turns into 503 with Retry-After: the write was not
/// acknowledged, so the client retries it (with its Idempotency-Key) once the database is back. Errors
/// the database itself raised about the data (constraints, syntax) are not outages and pass unchanged.
/// The grain whose call failed is deactivated: its memory may be ahead of its storage.
/// </summary>
public sealed class DatabaseUnavailableFilter(ILogger<DatabaseUnavailableFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (exception is not PlatformException && IsOutage(exception))
        {
            logger.LogWarning(exception, "Database unreachable during {Grain}.{Method}; answered as unavailable, activation dropped",
                context.TargetId, context.InterfaceMethod?.Name);
            // The grain may hold in memory a change its storage refused: drop the activation, so the next call
            // starts from what is stored and a refused write never shows up in a later read.
            if (context.TargetContext.GrainInstance is IGrainBase grain)
            {
                grain.DeactivateOnIdle();
            }
            throw new PlatformException(PlatformErrorKind.Unavailable, "service_unavailable",
                "The billing database is briefly unreachable; nothing was changed. Retry with the same Idempotency-Key.");
        }
    }

    /// <summary>Whether <paramref name="exception"/> or any exception inside it says the database was unreachable.</summary>
    public static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // 08: connection exception; 53: insufficient resources; 57P0x: the server is shutting down or starting.
                    if (postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P0", StringComparison.Ordinal))
                    {
                        return true;
                    }
                    return false;
                case NpgsqlException:
                case SocketException:
                case TimeoutException when exception is NpgsqlException || HasNpgsql(exception):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsOutage):
                    return true;
            }
        }
        return false;
    }

    private static bool HasNpgsql(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException || e.StackTrace?.Contains("Npgsql", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }
        return false;
    }
}
