using System.CommandLine;

namespace Platform.Cli;

/// <summary>Options every command takes (declared once on the root, recursive).</summary>
public sealed class GlobalOptions
{
    public Option<string?> ApiUrl { get; } = new("--api-url")
    {
        Description = "The API's base address, e.g. https://api.example.com [env: PLATFORM_API_URL]",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer credential: the admin token or a tenant key sk_… [env: PLATFORM_ADMIN_TOKEN or PLATFORM_API_KEY]",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON as received (for scripts: pipe to jq)",
        Recursive = true,
    };
}
