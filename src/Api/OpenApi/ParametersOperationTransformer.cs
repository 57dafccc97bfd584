using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Api.Common;

namespace Platform.Api.OpenApi;

/// <summary>
/// Parameters as the handlers read them, where the binder's view is looser: the <c>Idempotency-Key</c> header
/// (up to 255 characters; required where <see cref="IdempotencyKeyRequired"/> says so), <c>limit</c> (1–100),
/// and <c>created[gte]</c>/<c>created[lte]</c>, read as text only so a malformed one gets our own 400, but integers
/// in Unix seconds on the wire.
/// </summary>
public sealed class ParametersOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var idempotencyKeyRequired = context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyRequired>().Any();
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            switch (parameter.In, parameter.Name)
            {
                case (ParameterLocation.Header, "Idempotency-Key"):
                    parameter.Required = idempotencyKeyRequired;
                    parameter.Description = idempotencyKeyRequired
                        ? "Required: this request moves money. The same key with the same body returns the first result; with another body, 409 idempotency_key_in_use."
                        : "Makes a retry safe: the same key with the same body returns the first result; with another body, 409 idempotency_key_in_use.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Validation.MaxIdempotencyKeyLength };
                    break;
                case (ParameterLocation.Query, "limit"):
                    parameter.Description ??= $"How many objects to return, 1 to {ListQuery.MaxLimit} (default {ListQuery.DefaultLimit}).";
                    if (parameter.Schema is OpenApiSchema limit)
                    {
                        limit.Type = JsonSchemaType.Integer;
                        limit.Minimum = "1";
                        limit.Maximum = ListQuery.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    break;
                case (ParameterLocation.Query, "created[gte]" or "created[lte]"):
                    parameter.Description ??= parameter.Name == "created[gte]"
                        ? "Only objects created at or after this time (Unix seconds)."
                        : "Only objects created at or before this time (Unix seconds).";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" };
                    break;
                default:
                    break;
            }
        }
        return Task.CompletedTask;
    }
}
