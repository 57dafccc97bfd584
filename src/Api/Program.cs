using Platform.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformApi();
var app = builder.Build();
app.UsePlatformApi();
await app.RunAsync();

/// <summary>The API's entry point; public so integration tests can host it.</summary>
public partial class Program;
