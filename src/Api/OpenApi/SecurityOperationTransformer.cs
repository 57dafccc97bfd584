using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Api.OpenApi;

/// <summary>
/// Each operation's <c>security</c>, read from the same endpoint metadata the authorization middleware
/// enforces: anonymous routes get none; a named policy gets the schemes it accepts; a route with no
/// policy falls under the fallback policy (any authenticated caller) and gets every scheme.
/// </summary>
public sealed class SecurityOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
        var schemes = new List<string>();
        var who = new List<string>();
        foreach (var policy in policies)
        {
            if (SecuritySchemes.ByPolicy.TryGetValue(policy, out var known))
            {
                schemes.AddRange(known.Schemes);
                who.Add($"`{policy}` ({known.Who})");
            }
            else
            {
                schemes.AddRange(SecuritySchemes.All.Keys);
                who.Add($"`{policy}`");
            }
        }
        if (policies.Length == 0)
        {
            schemes.AddRange(SecuritySchemes.All.Keys);
            who.Add("any authenticated caller");
        }

        operation.Security ??= [];
        // Requirements in the list are alternatives: any one of these credentials is accepted.
        foreach (var scheme in schemes.Distinct())
        {
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
            });
        }
        var note = "Authorization: " + string.Join(" and ", who) + ".";
        operation.Description = operation.Description is { Length: > 0 } existing ? existing + "\n\n" + note : note;
        return Task.CompletedTask;
    }
}
