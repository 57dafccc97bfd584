using System.Diagnostics;

namespace Platform.Silo.Health;

/// <summary>
/// Memory figures for benchmarks, on the silo's HTTP port only when <c>Silo:EnableDiagnostics</c> is
/// true (off by default): a full blocking compacting collection, then the managed heap and working set.
/// </summary>
public static class DiagnosticsEndpoints
{
    public static void MapDiagnostics(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Silo:EnableDiagnostics", false))
        {
            return;
        }
        app.MapGet("/diagnostics/memory", () =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return Results.Json(new
            {
                managed_heap_bytes = GC.GetTotalMemory(forceFullCollection: false),
                working_set_bytes = process.WorkingSet64,
                private_bytes = process.PrivateMemorySize64,
            });
        });
    }
}
