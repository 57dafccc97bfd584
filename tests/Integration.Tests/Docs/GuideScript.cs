using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Integration.Tests.Docs;

/// <summary>
/// A guide's executable examples: every ```sh block preceded by <c>&lt;!-- {marker} expect="a|b" --&gt;</c> runs, in
/// order, in one bash session (variables carry from block to block) with <c>$API</c> and <c>$ADMIN</c> set. Each block
/// must succeed and print its expected fragments.
/// </summary>
public static class GuideScript
{
    private const string Separator = "@@guide-example@@";

    public static async Task RunAsync(string guide, string marker, int atLeast, Uri api, string adminToken)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", guide));
        // "a|b" runs the blocks of either marker, in the guide's order.
        var markers = "(?:" + string.Join('|', marker.Split('|').Select(Regex.Escape)) + ")";
        var pattern = new Regex("<!-- " + markers + """(?: expect="(?<expect>(?:[^"\\]|\\.)*)")? -->\s*```sh\n(?<script>.*?)```""", RegexOptions.Singleline);
        var examples = pattern.Matches(text)
            .Select(m => (Expect: m.Groups["expect"].Value.Replace("\\\"", "\"", StringComparison.Ordinal), Script: m.Groups["script"].Value))
            .ToList();
        Assert.True(examples.Count >= atLeast, $"expected the guide's examples, found {examples.Count}");

        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var (_, body) in examples)
        {
            script.Append("echo '").Append(Separator).Append("'\n").Append(body).Append('\n');
        }
        var (exit, output, error) = await BashAsync(script.ToString(), api, adminToken);

        var outputs = output.Split(Separator + "\n").Skip(1).ToList();
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

    private static async Task<(int Exit, string Output, string Error)> BashAsync(string script, Uri api, string adminToken)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["API"] = api.ToString().TrimEnd('/');
        start.Environment["ADMIN"] = adminToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
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

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
