using Newtonsoft.Json.Linq;
using Xunit;

namespace Platform.Deploy.Tests;

/// <summary>Every workload: non-root, read-only root filesystem, no privilege escalation, no
/// capabilities, seccomp, limits, probes, tokens only where needed. One case per Deployment.</summary>
public sealed class HardeningTests
{
    private static readonly string[] s_silos = ["silo-core", "silo-pci"];

    public static TheoryData<string> Deployments()
    {
        var data = new TheoryData<string>();
        foreach (var pool in K8s.Pools())
        {
            data.Add(pool.Name);
        }

        return data;
    }

    /// <summary>A boolean only when the manifest says a YAML boolean (a string "true" is not one).</summary>
    private static bool? Bool(JToken? token) => token?.Type == JTokenType.Boolean ? (bool)token : null;

    private static long? Long(JToken? token) => token?.Type == JTokenType.Integer ? (long)token : null;

    [Fact]
    public void The_three_pools_exist()
    {
        Assert.Equal(["api", "silo-core", "silo-pci"], K8s.Pools().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Containers_are_non_root_read_only_and_limited(string deployment)
    {
        var pool = K8s.PoolNamed(deployment);
        var podSecurity = pool.PodSpec["securityContext"] as JObject ?? [];
        Assert.Equal("RuntimeDefault", (string?)podSecurity["seccompProfile"]?["type"]);
        Assert.NotEmpty(pool.Containers);

        foreach (var container in pool.Containers)
        {
            var name = $"{deployment}/{container["name"]}";
            var security = container["securityContext"] as JObject ?? [];
            var runAsNonRoot = Bool(security["runAsNonRoot"]) ?? Bool(podSecurity["runAsNonRoot"]);
            var runAsUser = Long(security["runAsUser"]) ?? Long(podSecurity["runAsUser"]);
            Assert.True(runAsNonRoot == true, $"{name}: runAsNonRoot is not true");
            Assert.True(runAsUser is > 0, $"{name}: runAsUser must be a non-zero UID");
            Assert.True(Bool(security["readOnlyRootFilesystem"]) == true, $"{name}: root filesystem is writable");
            Assert.True(Bool(security["allowPrivilegeEscalation"]) == false, $"{name}: allowPrivilegeEscalation is not false");
            Assert.True(Bool(security["privileged"]) != true, $"{name}: privileged");
            Assert.Contains("ALL", (security["capabilities"]?["drop"] as JArray ?? []).Select(c => (string?)c));
            Assert.Empty(security["capabilities"]?["add"] as JArray ?? []);

            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container["resources"]?[kind]?[resource] is not null, $"{name}: no {kind}.{resource}");
                }
            }

            // A read-only root needs a writable /tmp (the .NET runtime's diagnostics, temp files).
            var tmp = (container["volumeMounts"] as JArray ?? []).OfType<JObject>().SingleOrDefault(m => (string?)m["mountPath"] == "/tmp");
            Assert.True(tmp is not null, $"{name}: no /tmp mount");
            var volume = (pool.PodSpec["volumes"] as JArray ?? []).OfType<JObject>().Single(v => (string?)v["name"] == (string?)tmp["name"]);
            Assert.True(volume["emptyDir"] is JObject, $"{name}: /tmp is not an emptyDir");
        }
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Containers_have_readiness_and_liveness_probes(string deployment)
    {
        var containers = (K8s.PoolNamed(deployment).PodSpec["containers"] as JArray ?? []).OfType<JObject>().ToList();
        Assert.NotEmpty(containers);
        foreach (var container in containers)
        {
            var ports = (container["ports"] as JArray ?? []).OfType<JObject>().ToDictionary(p => (string?)p["name"] ?? "", p => (int)p["containerPort"]!);
            foreach (var (probe, path) in new[] { ("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live") })
            {
                var get = container[probe]?["httpGet"];
                Assert.True(get is not null, $"{deployment}: no {probe}");
                Assert.Equal(path, (string?)get["path"]);
                var port = get["port"]!.Type == JTokenType.String ? ports[(string)get["port"]!] : (int)get["port"]!;
                Assert.Equal(8080, port);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Service_account_token_is_mounted_only_for_silos(string deployment)
    {
        var pool = K8s.PoolNamed(deployment);
        var expected = s_silos.Contains(deployment);
        var account = (string?)pool.PodSpec["serviceAccountName"];
        Assert.Equal(deployment, account);
        var serviceAccount = Manifests.Find("ServiceAccount", account!);
        Assert.Equal(expected, Bool(pool.PodSpec["automountServiceAccountToken"]));
        Assert.Equal(expected, Bool(serviceAccount.Json["automountServiceAccountToken"]));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Each_pool_has_an_autoscaler_and_a_disruption_budget(string deployment)
    {
        var pool = K8s.PoolNamed(deployment);
        var hpa = Manifests.OfKind("HorizontalPodAutoscaler").Where(h =>
            (string?)h.Json["spec"]?["scaleTargetRef"]?["kind"] == "Deployment" && (string?)h.Json["spec"]?["scaleTargetRef"]?["name"] == deployment).ToList();
        Assert.Single(hpa);
        Assert.True((int?)hpa[0].Json["spec"]?["minReplicas"] >= 2, $"{deployment}: fewer than 2 replicas");
        Assert.Single(Manifests.OfKind("PodDisruptionBudget"), p => K8s.Matches(p.Json["spec"]?["selector"], pool.Labels));

        // The HPA owns the replica count: a `replicas` here would reset it on every apply.
        Assert.Null(Manifests.Find("Deployment", deployment).Json["spec"]?["replicas"]);
    }

    [Theory]
    [InlineData("silo-core")]
    [InlineData("silo-pci")]
    public void Silos_are_set_up_for_orleans_kubernetes_hosting(string deployment)
    {
        var pool = K8s.PoolNamed(deployment);
        var container = pool.Containers.Single();
        Assert.Equal(["silo"], (container["args"] as JArray ?? []).Select(a => (string?)a));
        Assert.Equal(180, (int?)pool.PodSpec["terminationGracePeriodSeconds"]);
        Assert.Equal("platform", pool.Labels["orleans/serviceId"]);
        Assert.Equal("platform", pool.Labels["orleans/clusterId"]);
        Assert.Equal(pool.Labels["orleans/serviceId"], PciBoundaryTests.Env(container, "ORLEANS_SERVICE_ID"));
        Assert.Equal(pool.Labels["orleans/clusterId"], PciBoundaryTests.Env(container, "ORLEANS_CLUSTER_ID"));
        Assert.Equal(deployment, pool.Labels["app.kubernetes.io/component"]);
        Assert.Equal("8080", PciBoundaryTests.Env(container, "Silo__HttpPort"));

        var env = (container["env"] as JArray ?? []).OfType<JObject>().ToDictionary(e => (string)e["name"]!);
        Assert.Equal("metadata.name", (string?)env["POD_NAME"]["valueFrom"]?["fieldRef"]?["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)env["POD_NAMESPACE"]["valueFrom"]?["fieldRef"]?["fieldPath"]);
        Assert.Equal("status.podIP", (string?)env["POD_IP"]["valueFrom"]?["fieldRef"]?["fieldPath"]);
        Assert.Equal("platform-db", (string?)env["ConnectionStrings__Platform"]["valueFrom"]?["secretKeyRef"]?["name"]);
    }

    [Fact]
    public void Rbac_grants_silos_exactly_what_orleans_kubernetes_hosting_needs()
    {
        var roles = Manifests.OfKind("Role").ToList();
        Assert.Empty(Manifests.OfKind("ClusterRole"));
        Assert.Empty(Manifests.OfKind("ClusterRoleBinding"));
        var role = Assert.Single(roles);
        var rule = Assert.Single(role.Json["rules"] as JArray ?? []);
        Assert.Equal([""], (rule["apiGroups"] as JArray ?? []).Select(t => (string?)t));
        Assert.Equal(["pods"], (rule["resources"] as JArray ?? []).Select(t => (string?)t));
        Assert.Equal(["get", "list", "patch", "watch"], (rule["verbs"] as JArray ?? []).Select(t => (string?)t).Order(StringComparer.Ordinal));

        var subjects = Manifests.OfKind("RoleBinding")
            .SelectMany(b => b.Json["subjects"] as JArray ?? [])
            .Select(s => $"{s["kind"]}/{s["name"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["ServiceAccount/silo-core", "ServiceAccount/silo-pci"], subjects);
    }

    [Fact]
    public void Silos_and_api_agree_on_the_orleans_cluster()
    {
        foreach (var pool in K8s.Pools())
        {
            var container = pool.Containers.Single();
            Assert.Equal("platform", PciBoundaryTests.Env(container, "Orleans__ServiceId"));
            Assert.Equal("platform", PciBoundaryTests.Env(container, "Orleans__ClusterId"));
        }
    }

    [Fact]
    public void Api_is_an_orleans_client_behind_tls()
    {
        var container = K8s.PoolNamed("api").Containers.Single();
        Assert.Equal(["api"], (container["args"] as JArray ?? []).Select(a => (string?)a));
        Assert.Equal("http://+:8080", PciBoundaryTests.Env(container, "ASPNETCORE_URLS"));
        var ingress = Manifests.Find("Ingress", "api");
        Assert.Equal("platform-tls", (string?)ingress.Json.SelectToken("$.spec.tls[0].secretName"));
        Assert.Equal("api.example.com", (string?)ingress.Json.SelectToken("$.spec.tls[0].hosts[0]"));
    }

    /// <summary>Issue 25 item 3: X-Forwarded-For is believed from the ingress controller's pod range only, never from anyone.</summary>
    [Fact]
    public void Api_trusts_forwarded_headers_from_the_ingress_range_only()
    {
        var container = K8s.PoolNamed("api").Containers.Single();
        Assert.Equal("true", PciBoundaryTests.Env(container, "Platform__TrustForwardedHeaders"));
        var networks = (PciBoundaryTests.Env(container, "Platform__ForwardedHeaders__KnownNetworks") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(networks);
        Assert.All(networks, cidr =>
        {
            Assert.True(K8s.IsInternal(cidr), $"{cidr} is not a cluster-internal range");
            Assert.True(K8s.ParseCidr(cidr).Prefix >= 12, $"{cidr} is wider than a pod range");
        });
    }

    /// <summary>Issue 25 item 6: the shipped API requires frontend JWTs to name an issuer and an audience.</summary>
    [Fact]
    public void Api_requires_jwt_issuer_and_audience()
    {
        var container = K8s.PoolNamed("api").Containers.Single();
        Assert.StartsWith("https://", PciBoundaryTests.Env(container, "Jwt__Issuer"));
        Assert.StartsWith("https://", PciBoundaryTests.Env(container, "Jwt__Audience"));
    }

    [Fact]
    public void Namespace_enforces_the_restricted_pod_security_standard()
    {
        var ns = Manifests.Find("Namespace", "platform");
        Assert.Equal("restricted", (string?)ns.Json["metadata"]?["labels"]?["pod-security.kubernetes.io/enforce"]);
    }
}
