using System.Globalization;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// Runs a child (a PostgreSQL server, a silo) under a small shell that stops it when the test process that
/// started it is gone, and then deletes the child's folder if one is named. <c>ProcessExit</c> alone is not
/// enough: the test host's shutdown (and the hang detector's kill) never reaches it, and every run here used to
/// leave its servers behind. The owner is checked by its <c>/proc</c> entry, which works across users
/// (the server runs as <c>postgres</c>, the owner as root).
/// </summary>
public static class OwnerWatchdog
{
    /// <summary>The file in a server's folder naming the process that owns it (read by ./test.sh's sweep).</summary>
    public const string MarkerFile = "platform-test-owner";

    private const string Script = """
        owner=$1; signal=$2; folder=$3; shift 3
        "$@" &
        child=$!
        trap 'kill -s "$signal" "$child" 2>/dev/null' TERM INT HUP
        while [ -d "/proc/$owner" ] && kill -0 "$child" 2>/dev/null; do sleep 1; done
        kill -s "$signal" "$child" 2>/dev/null
        wait "$child"
        status=$?
        [ -n "$folder" ] && rm -rf "$folder"
        exit $status
        """;

    /// <summary>The command line prefix (<c>sh -c …</c>) that runs the child under the watchdog.</summary>
    public static string[] Arguments(string? folder, SignalStop stop) =>
    [
        "sh", "-c", Script, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        stop == SignalStop.Kill ? "KILL" : "INT", folder ?? "",
    ];
}
