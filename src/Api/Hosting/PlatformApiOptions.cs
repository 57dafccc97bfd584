namespace Platform.Api.Hosting;

/// <summary>The <c>Platform</c> section as the API reads it.</summary>
public sealed class PlatformApiOptions
{
    public const string SectionName = "Platform";

    /// <summary>The operator's bearer token. Secret: never logged.</summary>
    public string? AdminToken { get; set; }
}
