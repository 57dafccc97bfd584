namespace Platform.Bench.Driver;

/// <summary>
/// The month-end run's figures. CPU is per finalized invoice (µs) and as cores busy over the finalization (seconds of
/// CPU per second): the silo, PostgreSQL (server and backends) and this driver (the Orleans client).
/// </summary>
public sealed record MonthEndReport(
    int Invoices,
    int Tenants,
    int Parallelism,
    int BaselineConnections,
    int BaselineBatch,
    double SeedSeconds,
    double BaselineSeconds,
    double BaselinePerSecond,
    double FinalizeSeconds,
    double FinalizedPerSecond,
    double Ratio,
    int Failures,
    int Retries,
    long Open,
    long TenantsWithGaps,
    long TotalsNotLines,
    double CommitsPerInvoice,
    double WalSyncsPerInvoice,
    double SiloCpuMicrosPerInvoice,
    double PostgresCpuMicrosPerInvoice,
    double DriverCpuMicrosPerInvoice,
    double SiloCores,
    double PostgresCores,
    double DriverCores);
