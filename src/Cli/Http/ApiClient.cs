using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Platform.Cli.Http;

/// <summary>The API over HTTP: bearer credential, JSON in and out, a timeout on every call.</summary>
public sealed class ApiClient(HttpClient http)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static ApiClient Create(Uri baseAddress, string token, HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseAddress;
        http.Timeout = Timeout;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("platform-cli", "1.0"));
        return new ApiClient(http);
    }

    public async Task<ApiResult> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        return new ApiResult(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
