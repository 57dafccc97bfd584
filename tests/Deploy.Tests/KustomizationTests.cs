using Xunit;

namespace Platform.Deploy.Tests;

public sealed class KustomizationTests
{
    [Fact]
    public void Every_listed_resource_exists()
    {
        var resources = Manifests.KustomizationResources();
        Assert.NotEmpty(resources);
        foreach (var resource in resources)
        {
            Assert.True(File.Exists(Path.Combine(Manifests.K8sDir, resource)), $"kustomization.yaml lists {resource}, which does not exist");
        }

        Assert.Equal(resources.Count, resources.Distinct().Count());
    }

    [Fact]
    public void Every_manifest_file_is_listed()
    {
        var listed = Manifests.KustomizationResources().ToHashSet();
        var files = Directory.EnumerateFiles(Manifests.K8sDir, "*.y*ml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Manifests.K8sDir, f).Replace('\\', '/'))
            .Where(f => f != "kustomization.yaml");
        Assert.All(files, f => Assert.True(listed.Contains(f), $"{f} is not in kustomization.yaml's resources"));
    }

    [Fact]
    public void Kustomization_targets_the_platform_namespace()
    {
        Assert.Equal("platform", (string?)Manifests.LoadKustomization()["namespace"]);
    }

    [Fact]
    public void No_two_documents_share_kind_and_name()
    {
        var ids = Manifests.All.Select(d => $"{d.Kind}/{d.Name}").ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_referenced_secret_is_documented_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(Manifests.K8sDir, "README.md"));
        var secrets = Manifests.All.SelectMany(d => K8s.SecretReferences(d.Json)).ToHashSet();
        Assert.Equal(["platform-admin", "platform-data-key", "platform-db", "platform-jwt", "platform-license", "platform-tls", "stripe"], secrets.Order(StringComparer.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.True(readme.Contains($"create secret generic {secret} ", StringComparison.Ordinal)
                || readme.Contains($"create secret tls {secret} ", StringComparison.Ordinal),
                $"README.md does not show how to create the Secret {secret}");
        }
    }
}
