using System.Net;
using System.Text.Json;

namespace Platform.Cli.Http;

/// <summary>One answer from the API: the status and the body as sent (JSON for every route of ours).</summary>
public sealed record ApiResult(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The problem's stable <c>code</c> when the body is problem details.</summary>
    public string? ProblemCode => Json() is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("code", out var code)
        ? code.GetString()
        : null;

    public JsonElement? Json()
    {
        if (Body.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(Body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
