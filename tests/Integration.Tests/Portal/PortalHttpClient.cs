using System.Net;
using System.Text.RegularExpressions;

namespace Platform.Integration.Tests.Portal;

/// <summary>
/// A browser's cookie behaviour over plain HTTP for the HTTP-level tests: the portal's cookies are Secure
/// (the environment is not Development), which .NET's CookieContainer would never send to http://, so this
/// client keeps them itself. It also carries the last page's antiforgery token into form posts.
/// </summary>
public sealed partial class PortalHttpClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public List<string> SetCookieHeaders { get; } = [];

    public string? CsrfToken { get; private set; }

    public async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken && CsrfToken is not null)
        {
            form["__csrf"] = CsrfToken;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        return await SendAsync(request);
    }

    /// <summary>Any other method, without a body (e.g. DELETE).</summary>
    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        return await SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(HttpResponseMessage, string)> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => c.Key + "=" + c.Value)));
        }
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                SetCookieHeaders.Add(header);
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=');
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }
        var body = await response.Content.ReadAsStringAsync();
        if (CsrfField().Match(body) is { Success: true } match)
        {
            CsrfToken = WebUtility.HtmlDecode(match.Groups[1].Value);
        }
        return (response, body);
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
