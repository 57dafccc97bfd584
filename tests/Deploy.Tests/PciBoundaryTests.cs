using Newtonsoft.Json.Linq;
using Xunit;

namespace Platform.Deploy.Tests;

/// <summary>
/// DESIGN.md, "The PCI boundary", as it shows in deploy/k8s: the Stripe Secret reaches only the
/// PCI pool; only pods labelled platform.io/pci: "true" may reach the internet on 443; nothing
/// reaches the PCI pods but other silos on the silo port (and metrics scraping).
/// </summary>
public sealed class PciBoundaryTests
{
    private static readonly string[] s_stripeKeys = ["secret-key", "webhook-secret", "publishable-key"];

    [Fact]
    public void Only_the_pci_pool_is_labelled_pci()
    {
        var pci = K8s.Pools().Where(p => p.IsPci).Select(p => p.Name).ToList();
        Assert.Equal(["silo-pci"], pci);
    }

    [Fact]
    public void Stripe_secret_is_referenced_only_by_silo_pci()
    {
        var referrers = Manifests.All
            .Where(d => K8s.SecretReferences(d.Json).Contains("stripe"))
            .Select(d => $"{d.Kind}/{d.Name}")
            .ToList();
        Assert.Equal(["Deployment/silo-pci"], referrers);
        Assert.True(K8s.PoolNamed("silo-pci").IsPci);
    }

    [Fact]
    public void Silo_pci_gets_each_stripe_key_as_configuration()
    {
        var env = K8s.PoolNamed("silo-pci").Containers.SelectMany(c => c["env"] as JArray ?? []).OfType<JObject>().ToList();
        foreach (var (variable, key) in new[] { ("Stripe__SecretKey", "secret-key"), ("Stripe__WebhookSecret", "webhook-secret"), ("Stripe__PublishableKey", "publishable-key") })
        {
            var entry = env.SingleOrDefault(e => (string?)e["name"] == variable);
            Assert.True(entry is not null, $"silo-pci lacks {variable}");
            Assert.Equal("stripe", (string?)entry["valueFrom"]?["secretKeyRef"]?["name"]);
            Assert.Equal(key, (string?)entry["valueFrom"]?["secretKeyRef"]?["key"]);
            Assert.Contains(key, s_stripeKeys);
        }
    }

    [Fact]
    public void No_stripe_configuration_outside_pci_pods()
    {
        foreach (var pool in K8s.Pools().Where(p => !p.IsPci))
        {
            foreach (var container in pool.Containers)
            {
                var names = (container["env"] as JArray ?? []).Select(e => (string?)e["name"] ?? "");
                Assert.DoesNotContain(names, n => n.StartsWith("Stripe__", StringComparison.OrdinalIgnoreCase));
                Assert.Empty(container["envFrom"] as JArray ?? []);
            }
        }
    }

    [Fact]
    public void No_secret_values_are_shipped()
    {
        Assert.Empty(Manifests.OfKind("Secret").Select(d => d.Id));
    }

    [Fact]
    public void Pci_pool_has_its_own_service_account()
    {
        var accounts = K8s.Pools().Select(p => (string?)p.PodSpec["serviceAccountName"]).ToList();
        Assert.Equal(accounts.Count, accounts.Distinct().Count());
        Assert.Equal("silo-pci", (string?)K8s.PoolNamed("silo-pci").PodSpec["serviceAccountName"]);
    }

    [Fact]
    public void Default_deny_covers_every_pod_in_both_directions()
    {
        var deny = Manifests.OfKind("NetworkPolicy").SingleOrDefault(d =>
            d.Json["spec"]?["podSelector"] is JObject { Count: 0 }
            && d.Json["spec"]?["ingress"] is null && d.Json["spec"]?["egress"] is null
            && (d.Json["spec"]?["policyTypes"] as JArray ?? []).Select(t => (string?)t).ToHashSet().SetEquals(["Ingress", "Egress"]));
        Assert.True(deny is not null, "no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
    }

    [Fact]
    public void Every_rule_names_its_ports()
    {
        foreach (var (policy, direction, rule) in Rules())
        {
            Assert.True(rule["ports"] is JArray { Count: > 0 }, $"{policy.Name}: an {direction} rule allows every port");
        }
    }

    /// <summary>Internet egress on 443 (Stripe): a rule reaching beyond the cluster (no `to`, or an
    /// ipBlock outside private ranges) that allows 443 must select only pods labelled pci. The one
    /// exception is a rule to single host addresses (/32): the Kubernetes API server, for silos.</summary>
    [Fact]
    public void Only_pci_pods_may_egress_to_443_beyond_the_cluster()
    {
        foreach (var (policy, direction, rule) in Rules().Where(r => r.Direction == "egress"))
        {
            if (!AllowsPort(rule, 443))
            {
                continue;
            }

            var peers = (rule["to"] as JArray ?? []).OfType<JObject>().ToList();
            var external = peers.Count == 0
                ? ["(any destination)"]
                : peers.Select(p => (string?)p["ipBlock"]?["cidr"]).OfType<string>().Where(c => !K8s.IsInternal(c)).ToList();
            if (external.Count == 0)
            {
                continue;
            }

            var selector = policy.Json["spec"]?["podSelector"];
            var pciOnly = K8s.Requires(selector, K8s.PciLabel, "true");
            var singleHosts = peers.Count > 0 && external.All(c => c.EndsWith("/32", StringComparison.Ordinal));
            var selected = K8s.Pools().Where(p => K8s.Matches(selector, p.Labels)).ToList();
            Assert.True(pciOnly || (singleHosts && selected.All(p => p.Name.StartsWith("silo-", StringComparison.Ordinal))),
                $"{policy.Name} lets {string.Join(", ", selected.Select(p => p.Name))} reach {string.Join(", ", external)} on 443");
            Assert.All(selected.Where(_ => pciOnly), p => Assert.True(p.IsPci));
        }
    }

    [Fact]
    public void Stripe_egress_excludes_internal_ranges()
    {
        var stripe = Manifests.OfKind("NetworkPolicy").Where(d => K8s.Requires(d.Json["spec"]?["podSelector"], K8s.PciLabel, "true")).ToList();
        var blocks = stripe.SelectMany(d => d.Json.SelectTokens("$.spec.egress[*].to[*].ipBlock")).OfType<JObject>().ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks.Where(b => !K8s.IsInternal((string)b["cidr"]!)))
        {
            var except = (block["except"] as JArray ?? []).Select(e => (string?)e ?? "").ToList();
            foreach (var range in new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16" })
            {
                Assert.True(except.Any(e => K8s.Within(range, e)), $"ipBlock {block["cidr"]} does not exclude {range}");
            }
        }
    }

    /// <summary>Nothing reaches PCI pods but silos on 11111, and the monitoring namespace on 8080.</summary>
    [Fact]
    public void Pci_pods_accept_only_silo_traffic_and_monitoring()
    {
        var pci = K8s.PoolNamed("silo-pci");
        foreach (var (policy, _, rule) in Rules().Where(r => r.Direction == "ingress"))
        {
            if (!K8s.Matches(policy.Json["spec"]?["podSelector"], pci.Labels))
            {
                continue;
            }

            var ports = (rule["ports"] as JArray ?? []).Select(p => p["port"]?.ToString()).ToList();
            var peers = (rule["from"] as JArray ?? []).OfType<JObject>().ToList();
            Assert.True(peers.Count > 0, $"{policy.Name} lets anything reach silo-pci");
            foreach (var port in ports)
            {
                if (port == "11111")
                {
                    foreach (var peer in peers)
                    {
                        Assert.True(peer["namespaceSelector"] is null && peer["ipBlock"] is null, $"{policy.Name}: 11111 open beyond the namespace");
                        var sources = K8s.Pools().Where(p => K8s.Matches(peer["podSelector"], p.Labels)).Select(p => p.Name).ToList();
                        Assert.All(sources, s => Assert.StartsWith("silo-", s, StringComparison.Ordinal));
                    }
                }
                else if (port == "8080")
                {
                    Assert.All(peers, peer => Assert.Equal("monitoring", (string?)peer["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]));
                }
                else
                {
                    Assert.Fail($"{policy.Name} opens port {port} on silo-pci");
                }
            }
        }
    }

    [Fact]
    public void Pci_pool_runs_no_gateway()
    {
        var pci = K8s.PoolNamed("silo-pci");
        var container = pci.Containers.Single();
        Assert.DoesNotContain(30000, (container["ports"] as JArray ?? []).Select(p => (int?)p["containerPort"]));
        Assert.Equal("0", Env(container, "Silo__GatewayPort"));
        Assert.Equal("pci", Env(container, "Silo__Roles"));
        Assert.Equal("core", Env(K8s.PoolNamed("silo-core").Containers.Single(), "Silo__Roles"));
    }

    internal static string? Env(JObject container, string name) =>
        (string?)(container["env"] as JArray ?? []).OfType<JObject>().SingleOrDefault(e => (string?)e["name"] == name)?["value"];

    private static IEnumerable<(ManifestDocument Policy, string Direction, JObject Rule)> Rules()
    {
        foreach (var policy in Manifests.OfKind("NetworkPolicy"))
        {
            foreach (var direction in new[] { "ingress", "egress" })
            {
                foreach (var rule in (policy.Json["spec"]?[direction] as JArray ?? []).OfType<JObject>())
                {
                    yield return (policy, direction, rule);
                }
            }
        }
    }

    private static bool AllowsPort(JObject rule, int port)
    {
        if (rule["ports"] is not JArray { Count: > 0 } ports)
        {
            return true;
        }

        return ports.OfType<JObject>().Any(p =>
        {
            if ((string?)p["protocol"] is { } protocol && protocol != "TCP")
            {
                return false;
            }

            if (p["port"] is null)
            {
                return true;
            }

            if (p["port"]!.Type == JTokenType.String)
            {
                return true; // a named port: assume the worst
            }

            var from = (int)p["port"]!;
            var to = (int?)p["endPort"] ?? from;
            return from <= port && port <= to;
        });
    }
}
