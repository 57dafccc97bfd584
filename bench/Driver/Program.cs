using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Platform.Bench.Driver;

// Usage: Platform.Bench.Driver memory <connection string> <silo http base> <customers> [tenants] [parallelism] [idle wait seconds]
//        Platform.Bench.Driver month-end <connection string> <invoices> <tenants> <parallelism> <baseline connections> <silo pids, comma-separated> <postmaster pid>
if (args.Length < 4 || args[0] is not ("memory" or "month-end") || (args[0] == "month-end" && args.Length < 8))
{
    Console.Error.WriteLine("usage: memory <connection string> <silo http base url> <customers> [tenants=100] [parallelism=128] [idle wait seconds=0]");
    Console.Error.WriteLine("       month-end <connection string> <invoices> <tenants> <parallelism> <baseline connections> <silo pids> <postmaster pid>");
    return 1;
}
var connectionString = args[1];
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = Environment.GetEnvironmentVariable("Orleans__ClusterId") ?? "platform";
        o.ServiceId = Environment.GetEnvironmentVariable("Orleans__ServiceId") ?? "platform";
    });
    // A month-end run queues thousands of finalizations behind the database: answers may take longer than the default 30 s.
    client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
    client.UseAdoNetClustering(o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = connectionString;
    });
});
using var host = builder.Build();
await host.StartAsync();
if (args[0] == "month-end")
{
    var monthEnd = new MonthEndBenchmark(host.Services.GetRequiredService<IClusterClient>(), connectionString, int.Parse(args[2]), int.Parse(args[3]),
        int.Parse(args[4]), int.Parse(args[5]), [.. args[6].Split(',').Select(int.Parse)], int.Parse(args[7]));
    var monthEndReport = await monthEnd.RunAsync();
    Console.WriteLine(JsonSerializer.Serialize(monthEndReport, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    await host.StopAsync();
    return monthEndReport.Failures == 0 && monthEndReport.Open == monthEndReport.Invoices && monthEndReport.TenantsWithGaps == 0 ? 0 : 2;
}
using var silo = new HttpClient { BaseAddress = new Uri(args[2]), Timeout = TimeSpan.FromMinutes(2) };
var benchmark = new MemoryBenchmark(host.Services.GetRequiredService<IClusterClient>(), silo,
    int.Parse(args[3]), args.Length > 4 ? int.Parse(args[4]) : 100, args.Length > 5 ? int.Parse(args[5]) : 128,
    TimeSpan.FromSeconds(args.Length > 6 ? int.Parse(args[6]) : 0));
var report = await benchmark.RunAsync();
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
await host.StopAsync();
return 0;
