using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Platform.Api.Common;

/// <summary>
/// As at Stripe, a POST without parameters is a request with no parameters: an empty body, or the JSON
/// <c>null</c>, on a route that reads a JSON object is read as <c>{}</c>. The route's own validation then
/// names the first required field it misses (400 <c>parameter_missing</c> with its <c>param</c>), instead of
/// the framework's "Implicit body inferred for parameter…".
/// </summary>
public sealed class JsonBodyMiddleware(RequestDelegate next)
{
    /// <summary>Bodies up to this size are read to see whether they are just <c>null</c>.</summary>
    private const int NullProbeBytes = 64;

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private static readonly object BodyTypeKey = new();

    /// <summary>
    /// The type the route reads its JSON body as, kept for the exception handler: it runs after the endpoint
    /// is cleared, and needs the type to say what a field that failed to read should be.
    /// </summary>
    public static Type? BodyTypeOf(HttpContext context) => context.Items.TryGetValue(BodyTypeKey, out var type) ? type as Type : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: not null } accepts
            || !accepts.ContentTypes.Contains("application/json"))
        {
            await next(context);
            return;
        }
        context.Items[BodyTypeKey] = accepts.RequestType;
        if (await IsEmptyAsync(context.Request))
        {
            context.Request.Body = new MemoryStream(EmptyObject, writable: false);
            context.Request.ContentLength = EmptyObject.Length;
            context.Request.ContentType = "application/json";
            context.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
        }
        await next(context);
    }

    private static async Task<bool> IsEmptyAsync(HttpRequest request)
    {
        if (request.Method is not ("POST" or "PUT" or "PATCH"))
        {
            return false;
        }
        if (request.ContentLength == 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return true;
        }
        if (request.ContentLength is not (> 0 and <= NullProbeBytes))
        {
            return false;
        }
        request.EnableBuffering();
        var buffer = new byte[NullProbeBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), request.HttpContext.RequestAborted)) > 0)
        {
            read += n;
        }
        request.Body.Position = 0;
        return Encoding.UTF8.GetString(buffer, 0, read).Trim() is "null" or "";
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
