namespace Platform.Cli;

/// <summary>What a script can branch on. Stable: never renumber.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line is wrong (unknown command, missing option, no API address or token).</summary>
    public const int Usage = 1;

    /// <summary>The API refused the request (4xx other than 404/405): invalid input, no permission, conflict.</summary>
    public const int Refused = 2;

    /// <summary>The object does not exist, or this server does not offer the route (an older version).</summary>
    public const int NotFound = 3;

    /// <summary>The server failed (5xx) or could not be reached.</summary>
    public const int ServerError = 4;

    /// <summary>The request worked and the answer is "no": the audit chain is broken.</summary>
    public const int VerificationFailed = 5;

    public const string HelpText = """
        Exit codes:
          0  success
          1  usage error (bad arguments, no --api-url or --token)
          2  the API refused the request (4xx: invalid, unauthorized, forbidden, conflict, rate limited)
          3  not found, or not available on this server (404/405)
          4  server error (5xx) or network failure
          5  verification failed (audit verify found a broken chain)
        """;
}
