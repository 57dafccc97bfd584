using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Persistence;

/// <summary>
/// After every POST or DELETE (API and <c>/_fake</c> control alike, whatever the status: a declined charge
/// changes state too), writes the state file before the response leaves, so an acknowledged change survives
/// a restart. The response is held in memory meanwhile; a failed write answers 500 instead.
/// </summary>
internal sealed class StateFileMiddleware(RequestDelegate next, StateFile stateFile, ILogger<StateFileMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!(HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsDelete(http.Request.Method)))
        {
            await next(http);
            return;
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        try
        {
            await stateFile.SaveAsync(http.RequestAborted);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogError(error, "Could not write the Stripe fake's state file {Path}", stateFile.Path);
            http.Response.Headers.Clear();
            await StripeJson.WriteAsync(http, 500, new StripeApiException(500, "api_error", "The Stripe fake could not save its state.").ToBody());
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }
}
