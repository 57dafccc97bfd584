namespace Platform.Cli;

/// <summary>Which environment variable a command falls back to when <c>--token</c> is not given.</summary>
public enum CredentialKind
{
    /// <summary><c>PLATFORM_ADMIN_TOKEN</c>, then <c>PLATFORM_API_KEY</c>.</summary>
    Admin = 1,

    /// <summary><c>PLATFORM_API_KEY</c>, then <c>PLATFORM_ADMIN_TOKEN</c>.</summary>
    Tenant = 2,
}
