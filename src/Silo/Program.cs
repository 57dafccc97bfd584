using Platform.Silo.Database;
using Platform.Silo.Hosting;

// `Platform.Silo migrate` applies the schema and exits; with no verb the silo migrates, then runs.
var migrateOnly = args.Length > 0 && args[0] == "migrate";
var app = SiloHost.Build(migrateOnly ? args[1..] : args);
var migrator = new DatabaseMigrator(
    SiloHost.PlatformConnectionString(app.Configuration),
    app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.Silo.Migrations"));
await migrator.MigrateAsync();
if (migrateOnly)
{
    return;
}
await app.RunAsync();
