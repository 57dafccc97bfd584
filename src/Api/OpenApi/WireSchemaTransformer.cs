using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Api.OpenApi;

/// <summary>
/// Makes object schemas say what the wire does, so a client generated from the document is typed as the API is.
/// <list type="bullet">
/// <item>Requests (types named <c>…Request</c>): the fields the API refuses to go without (<see cref="RequiredFieldAttribute"/>)
/// are <c>required</c>; no field is nullable, since null there only ever means "not given", which leaving it out says.</item>
/// <item>Responses: every field is always written (nulls too), so every field is <c>required</c>; nullable stays
/// where the C# type says null means something (no email, not yet finalized…).</item>
/// <item>Fields with a fixed set of values carry an <c>enum</c> (<see cref="WireValuesAttribute"/>).</item>
/// <item>The <c>object</c> field every resource carries is computed, always present and never null.</item>
/// </list>
/// </summary>
public sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // An object reached through a property (a nested request or resource) is its own type's schema too.
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }
        var isRequest = context.JsonTypeInfo.Type.Name.EndsWith("Request", StringComparison.Ordinal);
        var fields = context.JsonTypeInfo.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        schema.Required = new HashSet<string>();
        foreach (var name in properties.Keys.ToList())
        {
            var field = fields.GetValueOrDefault(name);
            if (name == "object" && properties[name] is OpenApiSchema objectField)
            {
                objectField.Type = JsonSchemaType.String;
                objectField.Description ??= "The type of this object, e.g. \"customer\" or \"list\".";
            }
            if (isRequest)
            {
                properties[name] = WithoutNull(properties[name]);
                if (Attribute<RequiredFieldAttribute>(field) is not null)
                {
                    schema.Required.Add(name);
                }
            }
            else
            {
                schema.Required.Add(name);
            }
            if (Attribute<WireValuesAttribute>(field) is { } values && properties[name] is OpenApiSchema valued)
            {
                var target = valued.Type is { } type && type.HasFlag(JsonSchemaType.Array) && valued.Items is OpenApiSchema items ? items : valued;
                target.Enum = values.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The schema with null taken out: <c>["null","string"]</c> → <c>"string"</c>, <c>oneOf [null, $ref]</c> → the <c>$ref</c>.</summary>
    private static IOpenApiSchema WithoutNull(IOpenApiSchema property)
    {
        if (property is not OpenApiSchema schema)
        {
            return property;
        }
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }
        if (schema.OneOf is { Count: > 0 } oneOf && oneOf.Any(IsNullOnly))
        {
            var rest = oneOf.Where(s => !IsNullOnly(s)).ToList();
            if (rest.Count == 1 && schema.Description is null)
            {
                return rest[0];
            }
            schema.OneOf = rest;
        }
        return schema;
    }

    private static bool IsNullOnly(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    private static T? Attribute<T>(JsonPropertyInfo? field) where T : Attribute =>
        field?.AttributeProvider is MemberInfo member ? member.GetCustomAttribute<T>(inherit: true) : null;
}
