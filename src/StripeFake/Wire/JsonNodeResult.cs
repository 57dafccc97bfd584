using System.Text.Json.Nodes;

namespace Platform.StripeFake.Wire;

/// <summary>Writes a JSON node as the body; Stripe's shapes are built as nodes, not typed models.</summary>
internal sealed class JsonNodeResult(int statusCode, JsonNode body) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => statusCode;

    public Task ExecuteAsync(HttpContext httpContext) => StripeJson.WriteAsync(httpContext, statusCode, body);
}
