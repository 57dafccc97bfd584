namespace Platform.Api.Security;

/// <summary>Headers every API response carries: the API serves JSON only, never pages to frame or scripts to run.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // The docs page (added by operations) sets its own policy; everything else is data.
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            }
            headers.CacheControl = headers.CacheControl.Count == 0 ? "no-store" : headers.CacheControl;
            return Task.CompletedTask;
        });
        return next(context);
    }
}
