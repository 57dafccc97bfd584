using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// The document is checked against the routes the running API host actually maps (its
/// EndpointDataSource), so a route added by any feature and missing from the document fails here.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class OpenApiDocumentTests(ClusterFixture fixture)
{
    private static readonly string[] OperationKeys = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Fact]
    public async Task Document_DescribesEveryMappedRoute()
    {
        var document = await DocumentAsync();
        var documented = DocumentedOperations(document);

        var missing = MappedRoutes()
            .Where(route => !documented.ContainsKey((route.Method, route.Path)))
            .Select(route => $"{route.Method} {route.Path}")
            .ToList();

        Assert.True(missing.Count == 0, "Routes missing from /openapi/v1.json:\n" + string.Join("\n", missing));
        Assert.Contains(("POST", "/v1/tenants"), documented.Keys);
        Assert.Contains(("GET", "/metrics"), documented.Keys);
    }

    [Fact]
    public async Task Document_DeclaresSecurityExactlyOnNonAnonymousRoutes()
    {
        var document = await DocumentAsync();
        var documented = DocumentedOperations(document);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var problems = new List<string>();

        foreach (var route in MappedRoutes())
        {
            if (!documented.TryGetValue((route.Method, route.Path), out var operation))
            {
                continue; // reported by Document_DescribesEveryMappedRoute
            }
            var security = operation.TryGetProperty("security", out var s) ? s.EnumerateArray().ToList() : [];
            if (route.Anonymous && security.Count > 0)
            {
                problems.Add($"{route.Method} {route.Path} is anonymous but declares security");
            }
            if (!route.Anonymous && security.Count == 0)
            {
                problems.Add($"{route.Method} {route.Path} needs a credential but declares no security");
            }
            foreach (var name in security.SelectMany(r => r.EnumerateObject()).Select(p => p.Name))
            {
                if (!schemes.TryGetProperty(name, out _))
                {
                    problems.Add($"{route.Method} {route.Path} names unknown scheme {name}");
                }
            }
            if (!route.Anonymous && !HasProblemResponse(operation, "401"))
            {
                problems.Add($"{route.Method} {route.Path} does not document its 401 problem response");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var createTenant = documented[("POST", "/v1/tenants")];
        var requirement = Assert.Single(createTenant.GetProperty("security").EnumerateArray());
        Assert.Equal("admin_token", Assert.Single(requirement.EnumerateObject()).Name);
        var createCustomer = documented[("POST", "/v1/customers")].GetProperty("security").EnumerateArray()
            .SelectMany(r => r.EnumerateObject()).Select(p => p.Name).ToList();
        Assert.Contains("tenant_key", createCustomer);
        Assert.DoesNotContain("admin_token", createCustomer);
        Assert.Equal("http", schemes.GetProperty("tenant_key").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("tenant_key").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Document_SchemasAreSnakeCaseAndErrorsAreProblemDetails()
    {
        var document = await DocumentAsync();
        var documented = DocumentedOperations(document);
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var tenant = Resolve(schemas, documented[("GET", "/v1/tenants/{id}")].GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var properties = tenant.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("object", properties);
        Assert.Contains("object", tenant.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("created", properties);
        Assert.Contains("metadata", properties);

        var list = Resolve(schemas, documented[("GET", "/v1/customers")].GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Contains("has_more", list.GetProperty("properties").EnumerateObject().Select(p => p.Name));

        var issued = Resolve(schemas, documented[("POST", "/v1/tenants/{id}/api_keys")].GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Contains("secret", issued.GetProperty("properties").EnumerateObject().Select(p => p.Name));

        var allNames = schemas.EnumerateObject()
            .Where(s => s.Name != "Problem" && s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject().Select(p => $"{s.Name}.{p.Name}"))
            .Where(n => PascalOrCamel().IsMatch(n.Split('.')[1]))
            .ToList();
        Assert.True(allNames.Count == 0, "Properties not in snake_case: " + string.Join(", ", allNames));

        // Optional request fields are not "required" just because records bind them by constructor.
        var createCustomer = Resolve(schemas, documented[("POST", "/v1/customers")].GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Empty(createCustomer.TryGetProperty("required", out var required) ? required.EnumerateArray().ToArray() : []);

        foreach (var status in new[] { "400", "401", "403", "404", "429", "500", "503" })
        {
            Assert.True(HasProblemResponse(documented[("POST", "/v1/customers")], status), $"POST /v1/customers lacks {status}");
        }
        Assert.False(documented[("GET", "/health/ready")].GetProperty("responses").TryGetProperty("401", out _));
        Assert.Contains("code", schemas.GetProperty("Problem").GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Document_IsATypedContract_RequiredEnumsHeadersAndNoNullInRequests()
    {
        var document = await DocumentAsync();
        var documented = DocumentedOperations(document);
        var schemas = document.GetProperty("components").GetProperty("schemas");

        // Requests: null only ever means "not given", so no request field is nullable.
        var nullableRequestFields = schemas.EnumerateObject()
            .Where(s => s.Name.EndsWith("Request", StringComparison.Ordinal) && s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject()
                .Where(p => p.Value.ToString().Contains("\"null\"", StringComparison.Ordinal)).Select(p => $"{s.Name}.{p.Name}"))
            .ToList();
        Assert.True(nullableRequestFields.Count == 0, "Nullable request fields: " + string.Join(", ", nullableRequestFields));

        var plan = Resolve(schemas, RequestSchema(documented[("POST", "/v1/plans")]));
        Assert.Equal(["amount", "code", "currency", "interval"], Required(plan).Order());
        Assert.Equal(["month", "year", "day"], Enum(plan.GetProperty("properties").GetProperty("interval")));
        Assert.Equal(["per_unit", "package", "graduated", "volume"],
            Enum(schemas.GetProperty("UsageChargeRequest").GetProperty("properties").GetProperty("pricing_model")));
        Assert.Equal(["admin", "finance", "read"], Enum(schemas.GetProperty("CreateApiKeyRequest").GetProperty("properties").GetProperty("role")));
        Assert.Equal(["customer", "plan"], Required(Resolve(schemas, RequestSchema(documented[("POST", "/v1/subscriptions")]))).Order());
        Assert.Equal(["amount", "currency", "customer"], Required(Resolve(schemas, RequestSchema(documented[("POST", "/v1/payment_intents")]))).Order());
        Assert.Equal(["payment_intent"], Required(Resolve(schemas, RequestSchema(documented[("POST", "/v1/refunds")]))));

        Assert.Equal(["incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"],
            Enum(schemas.GetProperty("SubscriptionResource").GetProperty("properties").GetProperty("status")));
        Assert.Equal(["active", "erased"], Enum(schemas.GetProperty("CustomerResource").GetProperty("properties").GetProperty("status")));
        Assert.Contains("succeeded", Enum(schemas.GetProperty("RefundResource").GetProperty("properties").GetProperty("status")));

        // POST /v1/usage_events reads its body by hand; the document still names both shapes.
        var usage = RequestSchema(documented[("POST", "/v1/usage_events")]).GetProperty("oneOf").EnumerateArray()
            .Select(s => s.GetProperty("$ref").GetString()).ToList();
        Assert.Equal(["#/components/schemas/UsageEventRequest", "#/components/schemas/UsageEventBatchRequest"], usage);
        Assert.Equal(["event_id", "metric", "quantity"], Required(schemas.GetProperty("UsageEventRequest")).Order());
        Assert.Equal("#/components/schemas/UsageEventRequest",
            schemas.GetProperty("UsageEventBatchRequest").GetProperty("properties").GetProperty("events").GetProperty("items").GetProperty("$ref").GetString());

        // The Idempotency-Key is required exactly where money moves.
        Assert.True(IdempotencyKey(documented[("POST", "/v1/payment_intents")]).GetProperty("required").GetBoolean());
        Assert.True(IdempotencyKey(documented[("POST", "/v1/refunds")]).GetProperty("required").GetBoolean());
        Assert.False(IdempotencyKey(documented[("POST", "/v1/customers")]).TryGetProperty("required", out var optional) && optional.GetBoolean());
        Assert.Equal(255, IdempotencyKey(documented[("POST", "/v1/customers")]).GetProperty("schema").GetProperty("maxLength").GetInt32());

        // Responses: every field is always written (nullable where null means something), so every field is required.
        var customer = schemas.GetProperty("CustomerResource");
        Assert.Equal(customer.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(), Required(customer).Order());
        Assert.Contains("null", customer.GetProperty("properties").GetProperty("email").GetProperty("type").ToString());
        Assert.DoesNotContain("null", customer.GetProperty("properties").GetProperty("id").GetProperty("type").ToString());

        // Every JSON body and every 200 answer has a schema (Stripe's own webhook payload aside).
        var untyped = documented
            .Where(o => o.Key.Path.StartsWith("/v1/", StringComparison.Ordinal) && o.Key.Path != "/v1/stripe/webhook")
            .Where(o => (o.Value.TryGetProperty("requestBody", out var body) && IsEmpty(body))
                        || (o.Value.GetProperty("responses").TryGetProperty("200", out var ok) && IsEmpty(ok)))
            .Select(o => $"{o.Key.Method} {o.Key.Path}")
            .ToList();
        Assert.True(untyped.Count == 0, "Operations with an untyped body or answer: " + string.Join(", ", untyped));
        bool IsEmpty(JsonElement part) =>
            !part.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json)
            || !json.TryGetProperty("schema", out var schema) || Resolve(schemas, schema) is var resolved && resolved.ToString() == "{}";
    }

    private static JsonElement RequestSchema(JsonElement operation) =>
        operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    private static List<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToList() : [];

    private static List<string> Enum(JsonElement schema) => schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToList();

    private static JsonElement IdempotencyKey(JsonElement operation) =>
        operation.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");

    [Fact]
    public async Task DocsPage_IsServedAnonymouslyAndPointsAtTheDocument()
    {
        using var client = fixture.Cluster.Client();
        var response = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        // The page resolves the document against the site's origin: /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        // Its own policy lets Scalar's scripts run (the API's default policy forbids all scripts).
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        // Self-contained: the script is served by the API itself, no CDN needed.
        var script = await client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = fixture.Cluster.Client();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static Dictionary<(string Method, string Path), JsonElement> DocumentedOperations(JsonElement document)
    {
        var operations = new Dictionary<(string, string), JsonElement>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => OperationKeys.Contains(o.Name)))
            {
                operations[(operation.Name.ToUpperInvariant(), Normalize(path.Name))] = operation.Value;
            }
        }
        return operations;
    }

    /// <summary>Every route the API host maps, as the router sees it, with its anonymity.</summary>
    private List<(string Method, string Path, bool Anonymous)> MappedRoutes()
    {
        var endpoints = fixture.Cluster.Apis[0].Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var routes = new List<(string, string, bool)>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var path = Normalize(endpoint.RoutePattern.RawText ?? "");
            // HTML pages (the portal) say so with ExcludeFromDescription: they are not part of the REST contract.
            if (IsDocsAsset(path) || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true)
            {
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            routes.AddRange(methods.Where(x => x != "OPTIONS" && x != "HEAD").Select(x => (x, path, anonymous)));
        }
        Assert.NotEmpty(routes);
        return routes;
    }

    // Scalar serves its own script and assets under /docs/…: parts of the page, not API routes.
    private static bool IsDocsAsset(string path) => path.StartsWith("/docs/", StringComparison.Ordinal);

    private static string Normalize(string pattern)
    {
        var path = RouteParameter().Replace(pattern, m => "{" + m.Groups["name"].Value + "}");
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        return path.StartsWith('/') ? path : "/" + path;
    }

    private static bool HasProblemResponse(JsonElement operation, string status) =>
        operation.GetProperty("responses").TryGetProperty(status, out var response)
        && response.TryGetProperty("content", out var content)
        && content.TryGetProperty("application/problem+json", out _);

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex PascalOrCamel();
}
