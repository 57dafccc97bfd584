using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Deploy.Tests;

/// <summary>One YAML document of deploy/k8s, converted to JSON as kubectl would see it.</summary>
public sealed record ManifestDocument(string File, int Index, int Line, JObject Json)
{
    public string ApiVersion => (string?)Json["apiVersion"] ?? "";
    public string Kind => (string?)Json["kind"] ?? "";
    public string Name => (string?)Json["metadata"]?["name"] ?? "";

    /// <summary>A stable, readable id: the test case name of this document.</summary>
    public string Id => $"{File}[{Index}] {Kind}/{Name}";

    public override string ToString() => Id;
}

/// <summary>Loads deploy/k8s: the kustomization and every document of every resource it lists.</summary>
public static partial class Manifests
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);
    private static readonly Lazy<IReadOnlyList<ManifestDocument>> s_all = new(LoadAll);

    public static string RepoRoot => s_repoRoot.Value;
    public static string K8sDir => Path.Combine(RepoRoot, "deploy", "k8s");
    public static string KustomizationPath => Path.Combine(K8sDir, "kustomization.yaml");

    /// <summary>Every document of every file listed in the kustomization's resources, in order.</summary>
    public static IReadOnlyList<ManifestDocument> All => s_all.Value;

    public static ManifestDocument Get(string id) =>
        All.SingleOrDefault(d => d.Id == id) ?? throw new InvalidOperationException($"no document {id}");

    public static IEnumerable<ManifestDocument> OfKind(string kind) => All.Where(d => d.Kind == kind);

    public static ManifestDocument Find(string kind, string name) =>
        All.SingleOrDefault(d => d.Kind == kind && d.Name == name)
        ?? throw new InvalidOperationException($"no {kind}/{name} in deploy/k8s");

    public static JObject LoadKustomization() =>
        ParseYaml(File.ReadAllText(KustomizationPath)).Single().Json;

    public static IReadOnlyList<string> KustomizationResources() =>
        (LoadKustomization()["resources"] as JArray ?? [])
            .Select(t => (string?)t ?? throw new InvalidOperationException("empty resource entry"))
            .ToList();

    private static List<ManifestDocument> LoadAll()
    {
        var documents = new List<ManifestDocument>();
        foreach (var resource in KustomizationResources())
        {
            var path = Path.Combine(K8sDir, resource);
            if (!File.Exists(path))
            {
                // Reported by KustomizationTests; skip here so the other tests still run.
                continue;
            }

            foreach (var (json, line, index) in ParseYaml(File.ReadAllText(path)).Select((d, i) => (d.Json, d.Line, i)))
            {
                documents.Add(new ManifestDocument(resource, index, line, json));
            }
        }

        return documents;
    }

    /// <summary>Parses a (multi-document) YAML text into JSON objects; empty documents are skipped.</summary>
    public static IReadOnlyList<(JObject Json, int Line)> ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        var result = new List<(JObject, int)>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Style: ScalarStyle.Plain } scalar && string.IsNullOrEmpty(scalar.Value))
            {
                continue;
            }

            if (ToJson(root) is not JObject json)
            {
                throw new InvalidDataException($"line {root.Start.Line}: a Kubernetes manifest must be a mapping");
            }

            result.Add((json, (int)root.Start.Line));
        }

        return result;
    }

    /// <summary>
    /// YAML to JSON with the scalar rules kubectl applies (sigs.k8s.io/yaml, YAML 1.1): quoted
    /// scalars are strings; plain ones may be null, booleans (true/false, yes/no, on/off), integers
    /// or floats. So `value: yes` is a boolean and fails where the schema wants a string, as in kubectl.
    /// </summary>
    public static JToken ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode seq => new JArray(seq.Children.Select(ToJson)),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new InvalidDataException($"line {node.Start.Line}: unknown YAML node"),
    };

    private static JObject ToObject(YamlMappingNode map)
    {
        var obj = new JObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode k ? k.Value ?? "" : throw new InvalidDataException($"line {key.Start.Line}: complex key");
            if (obj.ContainsKey(name))
            {
                throw new InvalidDataException($"line {key.Start.Line}: duplicate key '{name}'");
            }

            obj[name] = ToJson(value);
        }

        return obj;
    }

    private static readonly HashSet<string> s_true = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> s_false = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> s_null = ["", "~", "null", "Null", "NULL"];

    private static JToken ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return new JValue(text);
        }

        if (s_null.Contains(text))
        {
            return JValue.CreateNull();
        }

        if (s_true.Contains(text))
        {
            return new JValue(true);
        }

        if (s_false.Contains(text))
        {
            return new JValue(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new JValue(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new JValue(number);
        }

        return new JValue(text);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "k8s", "kustomization.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"deploy/k8s/kustomization.yaml not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
