using Platform.StripeFake;

var builder = WebApplication.CreateBuilder(args);
var options = StripeFakeHost.ReadOptions(builder.Configuration);
builder.Services.AddStripeFake(options);
var app = builder.Build();
app.UseStripeFake();
app.Logger.LogInformation(
    "Stripe fake: API key {ApiKeyRequired}, webhooks to {WebhookUrl}, api_version {ApiVersion}, state {StateFile}",
    options.ApiKey is null ? "not required" : "required",
    options.WebhookUrl ?? "(none)",
    options.ApiVersion,
    options.StateFile is null ? "in memory only" : Path.GetFullPath(options.StateFile));
await app.RunAsync();
