using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>Renders <see cref="StripeApiException"/> and unexpected failures in Stripe's error shape.</summary>
internal sealed class StripeErrorMiddleware(RequestDelegate next, ILogger<StripeErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (StripeApiException error) when (!http.Response.HasStarted)
        {
            await StripeJson.WriteAsync(http, error.StatusCode, error.ToBody());
        }
        catch (Exception error) when (!http.Response.HasStarted && error is not OperationCanceledException)
        {
            logger.LogError(error, "Unhandled error in the Stripe fake for {Path}", http.Request.Path);
            var body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "api_error",
                    ["message"] = "An unexpected error occurred in the Stripe fake: " + error.Message,
                },
            };
            await StripeJson.WriteAsync(http, 500, body);
        }
    }
}
