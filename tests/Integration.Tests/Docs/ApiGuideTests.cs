using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Docs;

/// <summary>
/// docs/API.md is executable: every ```sh block preceded by <c>&lt;!-- api-example expect="a|b" --&gt;</c>
/// runs, in order, in one bash session (so variables carry from block to block) against the shared
/// cluster, with <c>$API</c> and <c>$ADMIN</c> set. Each block must succeed and print its expected fragments.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ApiGuideTests(ClusterFixture fixture)
{
    private const string Marker = "@@api-example@@";

    [Fact]
    public async Task ApiGuide_ExamplesRunAgainstALiveApi()
    {
        var guide = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "API.md"));
        var examples = Example().Matches(guide)
            .Select(m => (Expect: m.Groups["expect"].Value.Replace("\\\"", "\"", StringComparison.Ordinal), Script: m.Groups["script"].Value))
            .ToList();
        Assert.True(examples.Count >= 8, $"expected the guide's examples, found {examples.Count}");

        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var (_, body) in examples)
        {
            script.Append("echo '").Append(Marker).Append("'\n").Append(body).Append('\n');
        }
        var (exit, output, error) = await BashAsync(script.ToString());

        var outputs = output.Split(Marker + "\n").Skip(1).ToList();
        Assert.True(exit == 0, $"example {outputs.Count} failed (exit {exit}):\n{examples[Math.Max(outputs.Count - 1, 0)].Script}\n--- stdout\n{output}\n--- stderr\n{error}");
        Assert.Equal(examples.Count, outputs.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            foreach (var fragment in examples[i].Expect.Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(outputs[i].Contains(fragment, StringComparison.Ordinal),
                    $"example {i + 1} did not print \"{fragment}\":\n{examples[i].Script}\n--- printed\n{outputs[i]}");
            }
        }
    }

    private async Task<(int Exit, string Output, string Error)> BashAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["API"] = fixture.Cluster.ApiUrls[0].ToString().TrimEnd('/');
        start.Environment["ADMIN"] = fixture.Cluster.AdminToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""<!-- api-example(?: expect="(?<expect>(?:[^"\\]|\\.)*)")? -->\s*```sh\n(?<script>.*?)```""", RegexOptions.Singleline)]
    private static partial Regex Example();
}
