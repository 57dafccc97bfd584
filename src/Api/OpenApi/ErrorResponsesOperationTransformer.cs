using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Api.OpenApi;

/// <summary>
/// Every operation can fail in the one error shape (RFC 9457 problem details with a stable <c>code</c>);
/// the handlers' <c>Results&lt;…, ProblemHttpResult&gt;</c> does not say with which statuses, so the
/// statuses any route may answer are added here, generically: 401/403 only where a credential is
/// needed, 409/413/415 only where there is a body.
/// </summary>
public sealed class ErrorResponsesOperationTransformer : IOpenApiOperationTransformer
{
    private static readonly (string Status, string Description, bool NeedsCredential, bool NeedsBody)[] Statuses =
    [
        ("400", "Invalid request: `parameter_invalid`, `parameter_missing`, `invalid_json`.", false, false),
        ("401", "No or invalid credential: `authentication_required`, `invalid_api_key`.", true, false),
        ("403", "The credential's role does not allow this: `insufficient_permissions`.", true, false),
        ("404", "No such object or route: `resource_missing`, `route_not_found`.", false, false),
        ("409", "Idempotency-Key reused with another body: `idempotency_key_in_use`.", false, true),
        ("413", "Body larger than the route accepts: `body_too_large`.", false, true),
        ("415", "Body is not JSON: `unsupported_media_type`.", false, true),
        ("429", "Rate limit reached; retry after `Retry-After` seconds.", false, false),
        ("500", "Our fault; quote `request_id`: `internal_error`.", false, false),
        ("503", "The cluster is briefly unavailable; retry after `Retry-After`: `service_unavailable`.", false, false),
    ];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        operation.Responses ??= [];
        foreach (var (status, description, needsCredential, needsBody) in Statuses)
        {
            if ((needsCredential && anonymous) || (needsBody && operation.RequestBody is null) || operation.Responses.ContainsKey(status))
            {
                continue;
            }
            operation.Responses[status] = PlatformDocumentTransformer.ProblemResponse(description, context.Document);
        }
        return Task.CompletedTask;
    }
}
