using Newtonsoft.Json.Linq;
using Xunit;

namespace Platform.Deploy.Tests;

/// <summary>
/// deploy/prometheus: the alerting rules are valid PromQL (promtool check rules), behave as their unit
/// tests say (promtool test rules: synthetic series, the alerts that fire and those that must not),
/// ship identically as a PrometheusRule, and each has a runbook in docs/OPERATIONS.md.
/// </summary>
public sealed class PrometheusRulesTests
{
    private const string RulesFile = "platform-alerts.yaml";

    private static string OperationsDoc => File.ReadAllText(Path.Combine(Manifests.RepoRoot, "docs", "OPERATIONS.md"));

    private static JObject Rules => Manifests.ParseYaml(File.ReadAllText(Path.Combine(Promtool.PrometheusDir, RulesFile))).Single().Json;

    private static IReadOnlyList<string> TestFiles =>
        Directory.EnumerateFiles(Path.Combine(Promtool.PrometheusDir, "tests"), "*.test.yaml")
            .Select(f => Path.GetRelativePath(Promtool.PrometheusDir, f)).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<JObject> AlertingRules =>
        Rules["groups"]!.SelectMany(g => g["rules"]!).OfType<JObject>().Where(r => r["alert"] is not null);

    [Fact]
    public void Rules_pass_promtool_check()
    {
        var (exit, output) = Promtool.Run("check", "rules", RulesFile);
        Assert.True(exit == 0, $"promtool check rules failed:\n{output}");
    }

    [Fact]
    public void Rule_unit_tests_pass()
    {
        Assert.NotEmpty(TestFiles);
        var (exit, output) = Promtool.Run(["test", "rules", .. TestFiles]);
        Assert.True(exit == 0, $"promtool test rules failed:\n{output}");
    }

    [Fact]
    public void Every_alert_is_shown_firing_by_a_unit_test()
    {
        var fired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in TestFiles)
        {
            var tests = Manifests.ParseYaml(File.ReadAllText(Path.Combine(Promtool.PrometheusDir, file))).Single().Json["tests"]!;
            foreach (var check in tests.SelectMany(t => t["alert_rule_test"] ?? new JArray()).OfType<JObject>())
            {
                if (check["exp_alerts"] is JArray { Count: > 0 })
                {
                    fired.Add((string)check["alertname"]!);
                }
            }
        }
        Assert.All(AlertingRules.Select(r => (string)r["alert"]!), alert =>
            Assert.True(fired.Contains(alert), $"no unit test in deploy/prometheus/tests shows {alert} firing"));
    }

    [Fact]
    public void Every_alert_has_a_runbook_section_in_operations_md()
    {
        var headings = OperationsDoc.Split('\n').Where(l => l.StartsWith("#### ", StringComparison.Ordinal))
            .Select(l => l[5..].Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.All(AlertingRules, rule =>
        {
            var alert = (string)rule["alert"]!;
            Assert.Contains(alert, headings);
            Assert.Equal($"docs/OPERATIONS.md#{alert.ToLowerInvariant()}", (string?)rule["annotations"]?["runbook_url"]);
            Assert.False(string.IsNullOrEmpty((string?)rule["labels"]?["severity"]), $"{alert} has no severity");
        });
    }

    [Fact]
    public void PrometheusRule_carries_exactly_the_rule_files_groups()
    {
        var resource = Manifests.ParseYaml(File.ReadAllText(Path.Combine(Promtool.PrometheusDir, "prometheus-rule.yaml"))).Single().Json;
        Assert.Equal("monitoring.coreos.com/v1", (string?)resource["apiVersion"]);
        Assert.Equal("PrometheusRule", (string?)resource["kind"]);
        Assert.Equal("platform", (string?)resource["metadata"]?["namespace"]);
        Assert.True(JToken.DeepEquals(Rules["groups"], resource["spec"]?["groups"]),
            "prometheus-rule.yaml's spec.groups differ from platform-alerts.yaml's groups: copy them over");
    }
}
