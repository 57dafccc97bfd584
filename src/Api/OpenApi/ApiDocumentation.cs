using Scalar.AspNetCore;

namespace Platform.Api.OpenApi;

/// <summary>
/// The machine-readable description of the API (<c>/openapi/v1.json</c>, OpenAPI 3.1 from
/// Microsoft.AspNetCore.OpenApi, so it is generated from the very endpoints and JSON options that
/// serve requests) and the human page over it (<c>/docs</c>, Scalar, whose script is embedded in the
/// package: the page needs no CDN). Both anonymous: they describe routes, never data.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/docs";

    /// <summary>
    /// The docs page runs Scalar's own scripts (one inline bootstrap) and styles, all served from here;
    /// the API's default policy (data only, no scripts) would blank it. Fonts from Scalar's CDN are not
    /// allowed: the page falls back to system fonts rather than reach outside.
    /// </summary>
    public const string DocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer<PlatformDocumentTransformer>();
            o.AddOperationTransformer<SecurityOperationTransformer>();
            o.AddOperationTransformer<ErrorResponsesOperationTransformer>();
            o.AddOperationTransformer<ParametersOperationTransformer>();
            o.AddSchemaTransformer<WireSchemaTransformer>();
        });

    public static WebApplication MapPlatformOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        var docs = app.MapScalarApiReference(DocsPath, o => o
                .WithTitle("The Platform API")
                .WithOpenApiRoutePattern(DocumentPath))
            .AllowAnonymous();
        docs.Add(endpoint =>
        {
            var page = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                context.Response.Headers.ContentSecurityPolicy = DocsContentSecurityPolicy;
                return page(context);
            };
        });
        return app;
    }
}
