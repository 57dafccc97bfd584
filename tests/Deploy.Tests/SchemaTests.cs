using Xunit;

namespace Platform.Deploy.Tests;

/// <summary>Every document that `kubectl apply -k deploy/k8s` sends, against its strict schema.</summary>
public sealed class SchemaTests
{
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var document in Manifests.All)
        {
            data.Add(document.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_is_valid_against_strict_kubernetes_schema(string id)
    {
        var document = Manifests.Get(id);
        var errors = StrictSchemas.Validate(document.Json);
        Assert.True(errors.Count == 0,
            $"{document.File} (document {document.Index}, line {document.Line}) {document.Kind}/{document.Name} " +
            $"fails {StrictSchemas.FileNameFor(document.ApiVersion, document.Kind)}:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void Schema_folder_is_present()
    {
        Assert.True(Directory.Exists(StrictSchemas.Directory),
            $"strict schemas not found at {StrictSchemas.Directory} (CI clones the repo with shared/ beside it)");
    }

    [Fact]
    public void Every_manifest_names_the_platform_namespace()
    {
        foreach (var document in Manifests.All.Where(d => d.Kind != "Namespace"))
        {
            Assert.True((string?)document.Json["metadata"]?["namespace"] == "platform", $"{document.Id} has no namespace: platform");
        }
    }
}

/// <summary>
/// The validator itself must reject what the API server would reject; otherwise the schema
/// tests above prove nothing. Inline manifests, never files in deploy/k8s.
/// </summary>
public sealed class ValidatorSelfTests
{
    private const string GoodDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: probe
        spec:
          replicas: 2
          selector:
            matchLabels: { app: probe }
          template:
            metadata:
              labels: { app: probe }
            spec:
              containers:
                - name: c
                  image: example/probe:1
                  ports:
                    - containerPort: 8080
                  securityContext:
                    readOnlyRootFilesystem: true
        """;

    private static IReadOnlyList<string> ValidateYaml(string yaml) =>
        StrictSchemas.Validate(Manifests.ParseYaml(yaml).Single().Json);

    [Fact]
    public void Accepts_a_valid_deployment() => Assert.Empty(ValidateYaml(GoodDeployment));

    [Theory]
    [InlineData("replicas: 2", "replica: 2")]                                   // unknown field (typo)
    [InlineData("replicas: 2", "replicas: \"2\"")]                              // string where an integer is needed
    [InlineData("containerPort: 8080", "containerPort: http")]                 // string where an integer is needed
    [InlineData("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: \"true\"")] // string where a boolean is needed
    [InlineData("matchLabels: { app: probe }\n  template:", "matchLabel: { app: probe }\n  template:")] // typo under selector
    [InlineData("image: example/probe:1", "image: example/probe:1\n          imagePullPolice: Always")] // typo in a container
    public void Rejects_a_wrong_field(string good, string bad)
    {
        Assert.Contains(good, GoodDeployment, StringComparison.Ordinal);
        Assert.NotEmpty(ValidateYaml(GoodDeployment.Replace(good, bad, StringComparison.Ordinal)));
    }

    [Fact]
    public void Rejects_a_yaml_boolean_where_a_string_is_needed()
    {
        // kubectl reads an unquoted `yes` as a boolean: an env value must be quoted.
        var yaml = GoodDeployment.Replace("image: example/probe:1", "image: example/probe:1\n          env:\n            - name: FLAG\n              value: yes", StringComparison.Ordinal);
        Assert.NotEmpty(ValidateYaml(yaml));
    }

    [Fact]
    public void Rejects_an_unknown_kind()
    {
        Assert.NotEmpty(ValidateYaml("apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: x\n"));
    }

    [Fact]
    public void Schema_file_names_follow_group_version_kind()
    {
        Assert.Equal("deployment-apps-v1.json", StrictSchemas.FileNameFor("apps/v1", "Deployment"));
        Assert.Equal("secret-v1.json", StrictSchemas.FileNameFor("v1", "Secret"));
        Assert.Equal("ingress-networking-v1.json", StrictSchemas.FileNameFor("networking.k8s.io/v1", "Ingress"));
        Assert.Equal("horizontalpodautoscaler-autoscaling-v2.json", StrictSchemas.FileNameFor("autoscaling/v2", "HorizontalPodAutoscaler"));
        Assert.Equal("rolebinding-rbac-v1.json", StrictSchemas.FileNameFor("rbac.authorization.k8s.io/v1", "RoleBinding"));
    }
}
