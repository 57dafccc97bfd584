using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Api.Telemetry;

namespace Platform.Api.OpenApi;

/// <summary>
/// The document-wide parts: title and conventions, the security schemes, the one error schema, and
/// the infrastructure routes (health, metrics, these docs) that are not minimal-API handlers and so
/// are invisible to the generator, yet are routes clients and operators call.
/// </summary>
public sealed class PlatformDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ProblemSchemaId = "Problem";
    public const string ProblemMediaType = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "The Platform API",
            Version = "v1",
            Description = "Multi-tenant billing. JSON with snake_case; ids carry a type prefix (`ten_`, `cus_`, `key_`); " +
                "every object has an `object` field; lists are `{object: \"list\", url, has_more, data}` paged with " +
                "`limit` (1–100) and `starting_after`; errors are RFC 9457 problem details with a stable `code`. " +
                "An `Idempotency-Key` header on a creating POST makes retries safe.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (name, scheme) in SecuritySchemes.All)
        {
            document.Components.SecuritySchemes[name] = scheme;
        }
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchemaId] = ProblemSchema();
        foreach (var (name, schema) in document.Components.Schemas)
        {
            if (name.EndsWith("Request", StringComparison.Ordinal))
            {
                DropNullableReferences(schema);
            }
        }

        document.Paths ??= [];
        AddInfrastructureRoute(document, "/health/live", "Liveness: the process answers", "text/plain");
        AddInfrastructureRoute(document, "/health/ready", "Readiness: the database and a silo answer (503 otherwise)", "text/plain");
        AddInfrastructureRoute(document, ApiTelemetry.MetricsPath, "Prometheus metrics (text exposition format)", "text/plain");
        AddInfrastructureRoute(document, ApiDocumentation.DocumentPath, "This OpenAPI document", "application/json");
        AddInfrastructureRoute(document, ApiDocumentation.DocsPath, "Human-readable API reference over this document", "text/html");
        return Task.CompletedTask;
    }

    public static OpenApiResponse ProblemResponse(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemMediaType] = new() { Schema = new OpenApiSchemaReference(ProblemSchemaId, document) },
        },
    };

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details with the platform's extension members.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference naming the error, relative to this API: /docs/errors#<code> (a page served here)."),
            ["title"] = Text("Short, human-readable summary of the status."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = Text("What went wrong with this request, for humans."),
            ["instance"] = Text("The request path."),
            ["code"] = Text("Stable, snake_case; clients branch on this, e.g. parameter_invalid, resource_missing."),
            ["param"] = Text("The offending field or header, when there is one."),
            ["request_id"] = Text("Identifies the request in our logs; quote it to support."),
        },
        Examples = [JsonNode.Parse("""
            {"type":"/docs/errors#parameter_missing","title":"Invalid request","status":400,
             "detail":"name is required.","instance":"/v1/tenants","code":"parameter_missing","param":"name",
             "request_id":"0HN7:00000001"}
            """)!],
    };

    /// <summary>
    /// A request's nested object fields come out of the generator as <c>oneOf [null, $ref]</c> once their schemas
    /// are components; in a request null only means "not given" (WireSchemaTransformer), so the field is the <c>$ref</c>.
    /// </summary>
    private static void DropNullableReferences(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema { Properties: { Count: > 0 } properties })
        {
            return;
        }
        foreach (var (name, property) in properties.ToList())
        {
            if (property is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.Count(s => s is OpenApiSchema { Type: JsonSchemaType.Null }) == 1)
            {
                properties[name] = oneOf.Single(s => s is not OpenApiSchema { Type: JsonSchemaType.Null });
            }
        }
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static void AddInfrastructureRoute(OpenApiDocument document, string path, string summary, string mediaType)
    {
        if (document.Paths.ContainsKey(path))
        {
            return;
        }
        var operation = new OpenApiOperation
        {
            Summary = summary,
            Description = "Authorization: none (anonymous).",
            OperationId = "Infrastructure" + string.Concat(path.Split('/', '.', '_').Select(Capitalize)),
            Tags = new HashSet<OpenApiTagReference> { new("Infrastructure", document) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() },
                },
            },
        };
        if (path.StartsWith("/health/ready", StringComparison.Ordinal))
        {
            operation.Responses["503"] = new OpenApiResponse { Description = "Not ready: `Unhealthy`." };
        }
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, operation);
        document.Paths[path] = item;
        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(t => t.Name == "Infrastructure"))
        {
            document.Tags.Add(new OpenApiTag { Name = "Infrastructure", Description = "Health, metrics and documentation; anonymous." });
        }
    }

    private static string Capitalize(string part) => part.Length == 0 ? "" : char.ToUpperInvariant(part[0]) + part[1..];
}
