using System.Text.RegularExpressions;

namespace Platform.Api.Portal;

/// <summary>The accent colour rule: <c>#rrggbb</c> only, so it can go into a stylesheet as it is.</summary>
public static partial class PortalBranding
{
    public const string DefaultAccent = "#3b5bdb";

    public const int MaxDisplayNameLength = 100;

    public static bool IsColor(string? value) => value is not null && HexColor().IsMatch(value);

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}
