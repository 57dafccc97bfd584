using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Api.OpenApi;

/// <summary>
/// Makes object schemas say what the wire does. Records bind by constructor, so the generator lists
/// every constructor parameter as required; but a nullable field the client leaves out simply arrives
/// as null (absent means "not given" in our requests), so nullable fields are not required. And the
/// <c>object</c> field every resource carries is computed, always present and never null.
/// </summary>
public sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }
        schema.Required ??= new HashSet<string>();
        foreach (var (name, property) in properties)
        {
            if (name == "object" && property is OpenApiSchema objectField)
            {
                objectField.Type = JsonSchemaType.String;
                objectField.Description ??= "The type of this object, e.g. \"customer\" or \"list\".";
                schema.Required.Add(name);
            }
            else if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
            {
                schema.Required.Remove(name);
            }
        }
        return Task.CompletedTask;
    }
}
