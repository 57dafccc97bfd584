using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.StripeFake.Idempotency;

namespace Platform.StripeFake.Persistence;

/// <summary>
/// Keeps the fake's objects in one JSON file (<see cref="StripeFakeOptions.StateFile"/>) so a restart keeps
/// customers, payment methods, intents, subscriptions, invoices, checkout sessions, meters, meter events and
/// idempotency results. Written whole after every mutating request, before its response is sent: to a
/// temporary file beside it, flushed to disk, then renamed over the old one, so a crash leaves either
/// version, never half of one. Requests that finish while a write runs share the next write (group commit).
/// </summary>
internal sealed class StateFile(StripeFakeState state, IdempotencyStore idempotency, string path)
{
    public const int FormatVersion = 1;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private long _changed;
    private long _written;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Loads the file when it exists; false when there was none (a first start).</summary>
    public bool Load()
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        using var stream = File.OpenRead(Path);
        var saved = JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidDataException($"The Stripe fake's state file {Path} is not a JSON object.");
        if ((int?)saved["version"] != FormatVersion)
        {
            throw new InvalidDataException($"The Stripe fake's state file {Path} has version {saved["version"]}; this fake reads version {FormatVersion}.");
        }

        state.Import(saved["state"] as JsonObject ?? []);
        idempotency.Import(saved["idempotency"] as JsonArray ?? []);
        return true;
    }

    /// <summary>Returns once a write that includes every change made before this call is on disk.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var mine = Interlocked.Increment(ref _changed);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            WriteIfBehind(mine);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The same for callers in the fake's own process (<see cref="StripeFakeServer"/>'s control methods).</summary>
    public void Save()
    {
        var mine = Interlocked.Increment(ref _changed);
        _writer.Wait();
        try
        {
            WriteIfBehind(mine);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Writes unless a write since change <paramref name="mine"/> already covered it; call holding the writer.</summary>
    private void WriteIfBehind(long mine)
    {
        if (Volatile.Read(ref _written) >= mine)
        {
            return;
        }

        // Every change numbered up to here was made before it took its number.
        var upTo = Volatile.Read(ref _changed);
        JsonObject snapshot;
        lock (state.Sync)
        {
            snapshot = new JsonObject
            {
                ["version"] = FormatVersion,
                ["saved_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["state"] = state.Export(),
            };
        }

        snapshot["idempotency"] = idempotency.Export();
        Write(snapshot);
        Volatile.Write(ref _written, upTo);
    }

    private void Write(JsonObject snapshot)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                snapshot.WriteTo(writer);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
