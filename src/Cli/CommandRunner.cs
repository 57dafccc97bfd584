using System.CommandLine;
using System.Net;
using Platform.Cli.Http;

namespace Platform.Cli;

/// <summary>
/// Runs one API call for a command: resolves the address and credential, sends, prints, and turns the
/// outcome into an exit code (see <see cref="ExitCodes"/>). Errors go to stderr, results to stdout.
/// </summary>
public sealed class CommandRunner(GlobalOptions options, HttpMessageHandler? handler)
{
    public async Task<int> RunAsync(
        ParseResult parse, CredentialKind credential, HttpMethod method, string path, object? body,
        CancellationToken cancellationToken, string? idempotencyKey = null,
        Func<ApiResult, TextWriter, int>? onSuccess = null)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var apiUrl = parse.GetValue(options.ApiUrl) ?? Environment.GetEnvironmentVariable("PLATFORM_API_URL");
        var token = parse.GetValue(options.Token) ?? DefaultToken(credential);
        if (string.IsNullOrWhiteSpace(apiUrl) || !Uri.TryCreate(apiUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            await error.WriteLineAsync("error: give the API address with --api-url or PLATFORM_API_URL (e.g. http://127.0.0.1:5080).");
            return ExitCodes.Usage;
        }
        if (string.IsNullOrWhiteSpace(token))
        {
            await error.WriteLineAsync(credential == CredentialKind.Admin
                ? "error: give the admin token with --token or PLATFORM_ADMIN_TOKEN."
                : "error: give a tenant key with --token or PLATFORM_API_KEY.");
            return ExitCodes.Usage;
        }

        ApiResult result;
        try
        {
            var client = ApiClient.Create(baseAddress, token, handler);
            result = await client.SendAsync(method, path, body, idempotencyKey, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"error: could not reach {baseAddress}: {exception.Message}");
            return ExitCodes.ServerError;
        }

        var json = parse.GetValue(options.Json);
        if (!result.IsSuccess)
        {
            return await FailAsync(result, method, path, json, output, error);
        }
        if (json)
        {
            await output.WriteLineAsync(result.Body);
            return onSuccess is null ? ExitCodes.Ok : onSuccess(result, TextWriter.Null);
        }
        if (onSuccess is not null)
        {
            return onSuccess(result, output);
        }
        ResultPrinter.Print(result, output);
        return ExitCodes.Ok;
    }

    private static async Task<int> FailAsync(ApiResult result, HttpMethod method, string path, bool json, TextWriter output, TextWriter error)
    {
        var status = (int)result.Status;
        var code = result.ProblemCode;
        var exit = result.Status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => ExitCodes.NotFound,
            _ when status >= 500 => ExitCodes.ServerError,
            _ => ExitCodes.Refused,
        };
        // An unknown route means this server predates the feature: say so rather than "not found".
        var headline = code is "route_not_found" or "method_not_allowed"
            ? $"error: {method} /{path.TrimStart('/').Split('?')[0]} is not available on this server ({status} {code})."
            : $"error: {status} {code ?? result.Status.ToString()}";
        await error.WriteLineAsync(headline);
        if (json)
        {
            await output.WriteLineAsync(result.Body);
        }
        else if (result.Json() is { } problem)
        {
            ResultPrinter.PrintProblem(problem, error);
        }
        return exit;
    }

    private static string? DefaultToken(CredentialKind kind)
    {
        var admin = Environment.GetEnvironmentVariable("PLATFORM_ADMIN_TOKEN");
        var key = Environment.GetEnvironmentVariable("PLATFORM_API_KEY");
        return kind == CredentialKind.Admin ? NonEmpty(admin) ?? NonEmpty(key) : NonEmpty(key) ?? NonEmpty(admin);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
