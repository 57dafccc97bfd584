using System.Text.Json;

// The same customer JSON the platform returns, built once per request as the platform does, with the
// same serializer settings: what remains between this and the platform is auth, rate limiting and grains.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
var app = builder.Build();
var metadata = new Dictionary<string, string> { ["crm_id"] = "42" };
app.MapGet("/v1/customers/{id}", (string id) => Results.Json(new
{
    id,
    @object = "customer",
    email = "jenny@example.com",
    name = "Jenny Rosen",
    description = (string?)null,
    metadata,
    created = 1795431546L,
}));
// bench/webhooks.sh: the same Stripe event bodies POSTed here are read whole and acknowledged, nothing more.
app.MapPost("/v1/stripe/webhook", async (HttpRequest request) =>
{
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();
    return Results.Json(new { @object = "webhook_receipt", received = body.Length });
});
await app.RunAsync();
