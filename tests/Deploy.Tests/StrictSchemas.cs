using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Platform.Deploy.Tests;

/// <summary>
/// Kubernetes' strict JSON schemas (shared/k8s-schemas, unknown fields are errors), validated
/// with NJsonSchema. In CI the repo is cloned with shared/ beside it: ../shared/k8s-schemas/….
/// K8S_SCHEMA_DIR overrides the folder.
/// </summary>
public static class StrictSchemas
{
    public const string KubernetesVersion = "v1.34.0";

    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> s_cache = new();

    public static string Directory =>
        Environment.GetEnvironmentVariable("K8S_SCHEMA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(Manifests.RepoRoot, "..", "shared", "k8s-schemas", $"{KubernetesVersion}-strict"));

    /// <summary>`apps/v1` + `Deployment` → deployment-apps-v1.json; `v1` + `Secret` → secret-v1.json;
    /// `networking.k8s.io/v1` + `Ingress` → ingress-networking-v1.json.</summary>
    public static string FileNameFor(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var group = slash < 0 ? "" : apiVersion[..slash].Split('.')[0];
        var name = group.Length == 0 ? $"{kind}-{version}" : $"{kind}-{group}-{version}";
        return name.ToLowerInvariant() + ".json";
    }

    public static string PathFor(string apiVersion, string kind) => Path.Combine(Directory, FileNameFor(apiVersion, kind));

    /// <summary>Validates one manifest; returns readable errors, empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JObject manifest)
    {
        var apiVersion = (string?)manifest["apiVersion"];
        var kind = (string?)manifest["kind"];
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            return ["apiVersion and kind are required"];
        }

        var path = PathFor(apiVersion, kind);
        if (!File.Exists(path))
        {
            return [$"no strict schema for {apiVersion} {kind}: {path} is missing (ask for the kind in shared/k8s-schemas)"];
        }

        var schema = s_cache.GetOrAdd(path, p => new Lazy<JsonSchema>(() => JsonSchema.FromFileAsync(p).GetAwaiter().GetResult())).Value;
        var errors = new List<string>();
        Flatten(schema.Validate(manifest), "", errors);
        return errors;
    }

    private static void Flatten(IEnumerable<ValidationError> errors, string indent, List<string> into)
    {
        foreach (var error in errors)
        {
            var where = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
            into.Add($"{indent}{where}: {error.Kind}{(error.HasLineInfo ? $" (json line {error.LineNumber})" : "")}");
            if (error is ChildSchemaValidationError child)
            {
                foreach (var branch in child.Errors)
                {
                    Flatten(branch.Value, indent + "  ", into);
                }
            }
            else if (error is MultiTypeValidationError multi)
            {
                // `type: [array, null]` and the like: show the branch that explains the failure,
                // not "null expected" for the type the value plainly does not have.
                var explaining = multi.Errors.Where(b => b.Value.Any(e => e.Path != error.Path || e is ChildSchemaValidationError or MultiTypeValidationError)).ToList();
                foreach (var branch in explaining.Count > 0 ? explaining : multi.Errors.ToList())
                {
                    into.Add($"{indent}  as {branch.Key}:");
                    Flatten(branch.Value, indent + "    ", into);
                }
            }
        }
    }
}
