using System.Net;
using Newtonsoft.Json.Linq;

namespace Platform.Deploy.Tests;

/// <summary>A pod pool: a Deployment's pod template.</summary>
public sealed record Pool(string Name, IReadOnlyDictionary<string, string> Labels, JObject PodSpec)
{
    public bool IsPci => Labels.TryGetValue(K8s.PciLabel, out var value) && value == "true";

    public IEnumerable<JObject> Containers =>
        (PodSpec["initContainers"] as JArray ?? []).Concat(PodSpec["containers"] as JArray ?? []).OfType<JObject>();
}

/// <summary>Small readers of Kubernetes objects: label selectors, pools, secret references, CIDRs.</summary>
public static class K8s
{
    public const string PciLabel = "platform.io/pci";

    public static IReadOnlyList<Pool> Pools() =>
        Manifests.OfKind("Deployment").Select(d => new Pool(
            d.Name,
            Labels(d.Json["spec"]?["template"]?["metadata"]?["labels"]),
            d.Json["spec"]?["template"]?["spec"] as JObject ?? [])).ToList();

    public static Pool PoolNamed(string name) => Pools().Single(p => p.Name == name);

    public static IReadOnlyDictionary<string, string> Labels(JToken? labels) =>
        (labels as JObject ?? []).Properties().ToDictionary(p => p.Name, p => (string?)p.Value ?? "");

    /// <summary>Kubernetes label-selector semantics: {} selects everything.</summary>
    public static bool Matches(JToken? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not JObject sel)
        {
            return true;
        }

        foreach (var (key, value) in Labels(sel["matchLabels"]))
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expression in (sel["matchExpressions"] as JArray ?? []).OfType<JObject>())
        {
            var key = (string?)expression["key"] ?? "";
            var values = (expression["values"] as JArray ?? []).Select(v => (string?)v ?? "").ToHashSet();
            var has = labels.TryGetValue(key, out var actual);
            var ok = (string?)expression["operator"] switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                var op => throw new InvalidOperationException($"unknown selector operator {op}"),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every pod the selector can ever match carries `key: value` (it demands it).</summary>
    public static bool Requires(JToken? selector, string key, string value)
    {
        if (selector is not JObject sel)
        {
            return false;
        }

        if ((string?)sel["matchLabels"]?[key] == value)
        {
            return true;
        }

        return (sel["matchExpressions"] as JArray ?? []).OfType<JObject>().Any(e =>
            (string?)e["key"] == key && (string?)e["operator"] == "In"
            && (e["values"] as JArray ?? []).Select(v => (string?)v).All(v => v == value));
    }

    /// <summary>Every place a document refers to a Secret by name: env, envFrom, volumes, projected
    /// volumes, image pull secrets, TLS of an Ingress.</summary>
    public static IEnumerable<string> SecretReferences(JToken token)
    {
        var all = token is JContainer container ? container.DescendantsAndSelf() : [token];
        foreach (var obj in all.OfType<JObject>())
        {
            if ((string?)obj["secretKeyRef"]?["name"] is { } envName)
            {
                yield return envName;
            }

            if ((string?)obj["secretRef"]?["name"] is { } envFromName)
            {
                yield return envFromName;
            }

            if ((string?)obj["secret"]?["secretName"] is { } volumeName)
            {
                yield return volumeName;
            }

            if ((string?)obj["secret"]?["name"] is { } projectedName)
            {
                yield return projectedName;
            }

            if ((string?)obj["secretName"] is { } tlsName && obj.Parent?.Parent?.Path.EndsWith("tls", StringComparison.Ordinal) == true)
            {
                yield return tlsName;
            }
        }

        foreach (var pull in token.SelectTokens("$..imagePullSecrets[*].name"))
        {
            yield return (string?)pull ?? "";
        }
    }

    private static readonly (IPAddress Network, int Prefix)[] s_internal =
    [
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("100.64.0.0"), 10),
    ];

    /// <summary>Private, loopback, link-local and shared ranges: what "beyond the cluster" excludes.</summary>
    public static IReadOnlyList<string> InternalRanges { get; } = s_internal.Select(r => $"{r.Network}/{r.Prefix}").ToList();

    public static (IPAddress Network, int Prefix) ParseCidr(string cidr)
    {
        var parts = cidr.Split('/');
        return (IPAddress.Parse(parts[0]), parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 32);
    }

    /// <summary>True when the CIDR lies wholly inside <paramref name="outer"/>.</summary>
    public static bool Within(string cidr, string outer)
    {
        var (network, prefix) = ParseCidr(cidr);
        var (outerNetwork, outerPrefix) = ParseCidr(outer);
        return network.AddressFamily == outerNetwork.AddressFamily
            && prefix >= outerPrefix
            && new IPNetwork(outerNetwork, outerPrefix).Contains(network);
    }

    public static bool IsInternal(string cidr) => InternalRanges.Any(r => Within(cidr, r));
}
