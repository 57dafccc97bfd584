using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Bad input against every route the API maps (walked from the endpoint table, so a route added later is
/// fuzzed too): malformed and hostile bodies, wrong types, huge and negative numbers, unicode edge cases,
/// oversized bodies and headers, junk in path parameters and queries, random bytes. Whatever arrives, the
/// answer is never a 5xx, and never echoes a credential or a card number. Seeded, so a failure replays.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class FuzzTests(ClusterFixture fixture)
{
    private const string Card = "4242424242424242";
    private const int Seed = 20261123;

    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task EveryRoute_WithHostileInput_NeverAnswers5xx_NorEchoesSecretsOrCards()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(tenant.Secret);
        var customer = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Fuzzed" }))).GetProperty("id").GetString()!;
        var random = new Random(Seed);
        var routes = Routes();
        Assert.True(routes.Count >= 30, $"only {routes.Count} routes found");
        var secrets = new[] { tenant.Secret, Cluster.AdminToken, Card };
        var failures = new List<string>();
        var sent = 0;
        var statuses = new Dictionary<int, int>();

        // Deleting routes last, so the tenant and customer the others use stay alive while they run.
        foreach (var (method, pattern) in routes.OrderBy(r => r.Method == "DELETE"))
        {
            foreach (var credential in new[] { Cluster.AdminToken, tenant.Secret })
            {
                foreach (var (name, build) in Cases(random))
                {
                    var path = Fill(pattern, parameter => name == "junk_ids" ? JunkId(random) : Sample(parameter, tenant, customer));
                    using var request = build(method, path);
                    request.Headers.Authorization = new("Bearer", credential);
                    using var client = Cluster.Client(index: sent % Cluster.ApiUrls.Count);
                    sent++;
                    HttpResponseMessage response;
                    try
                    {
                        response = await client.SendAsync(request);
                    }
                    catch (HttpRequestException error)
                    {
                        // A server may answer (413, or 401/404 on a route that reads no body) and close the
                        // connection before a 2 MiB body is sent in full: HTTP allows it, and the client then sees
                        // a reset. Only that case is excused, and only if the host is still answering.
                        if (name == "oversized_body" && (await client.GetAsync("/health/live")).IsSuccessStatusCode)
                        {
                            continue;
                        }
                        failures.Add($"{method} {pattern} [{name}]: connection failed ({error.Message})");
                        continue;
                    }
                    using (response)
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{method} {pattern} [{name}] → {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                        }
                        var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(',', h.Value)}"));
                        foreach (var secret in secrets.Where(s => body.Contains(s, StringComparison.Ordinal) || headers.Contains(s, StringComparison.Ordinal)))
                        {
                            failures.Add($"{method} {pattern} [{name}] echoed {secret[..6]}…");
                        }
                    }
                }
            }
        }

        Assert.True(sent > routes.Count * 20, $"only {sent} requests sent");
        // The input reached the handlers' own validation, not only the door: many 400s, some 404s and successes.
        Assert.True(statuses.GetValueOrDefault(400) > routes.Count * 5, "statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(statuses.GetValueOrDefault(404) > 0 && statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value) > 0);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join('\n', failures.Take(60)));
    }

    private IReadOnlyList<(string Method, string Pattern)> Routes() =>
        Cluster.Apis[0].Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => !r.Item2.StartsWith("/docs", StringComparison.Ordinal))
            .Distinct()
            .ToList();

    /// <summary>Each case: a name (in failure messages) and how to build the request for a method and path.</summary>
    private static IEnumerable<(string Name, Func<string, string, HttpRequestMessage> Build)> Cases(Random random)
    {
        HttpRequestMessage Json(string method, string path, string body) =>
            new(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        yield return ("empty_object", (m, p) => Json(m, p, "{}"));
        yield return ("truncated_json", (m, p) => Json(m, p, "{\"name\": \"x\", \"amount\": "));
        yield return ("not_an_object", (m, p) => Json(m, p, "[1, \"two\", null]"));
        yield return ("json_null", (m, p) => Json(m, p, "null"));
        yield return ("wrong_types", (m, p) => Json(m, p,
            "{\"name\": 12, \"email\": [], \"metadata\": \"x\", \"amount\": \"ten\", \"currency\": {}, \"quantity\": true, " +
            "\"events\": {}, \"url\": 5, \"enabled_events\": \"*\", \"limits\": [], \"role\": 7, \"customer\": false, \"timestamp\": \"yesterday\"}"));
        yield return ("huge_numbers", (m, p) => Json(m, p,
            "{\"amount\": 99999999999999999999999999, \"quantity\": 1e309, \"permit_limit\": 9223372036854775808, " +
            "\"window_seconds\": -9223372036854775809, \"limit\": 1e400, \"timestamp\": 99999999999999999, \"overlap_seconds\": 1e20}"));
        yield return ("negative_money", (m, p) => Json(m, p,
            "{\"amount\": -100, \"currency\": \"usd\", \"quantity\": -5, \"customer\": \"cus_x\", \"payment_method\": \"pm_card_visa\"}"));
        yield return ("unicode_edges", (m, p) => Json(m, p,
            "{\"name\": \"\\ud800\\udfff\\ud800\", \"email\": \"a\\u0000b@example.com\", \"description\": \"\\u202e\\u200b\\ufeff" + new string('é', 5000) + "\", " +
            "\"metadata\": {\"\\u0000\": \"\\udfff\", \"k\": \"" + new string('x', 20_000) + "\"}, \"currency\": \"ÜSD\"}"));
        yield return ("card_number_in_field", (m, p) => Json(m, p, $"{{\"name\": \"{Card}\", \"description\": \"4242 4242 4242 4242\", \"metadata\": {{\"pan\": \"{Card}\"}}}}"));
        yield return ("deep_nesting", (m, p) => Json(m, p, new string('[', 5000) + new string(']', 5000)));
        yield return ("duplicate_keys", (m, p) => Json(m, p, "{\"name\": \"a\", \"name\": {\"b\": 1}, \"amount\": 1, \"amount\": \"x\"}"));
        yield return ("oversized_body", (m, p) => Json(m, p, "{\"name\": \"" + new string('a', 2 * 1024 * 1024) + "\"}"));
        yield return ("random_bytes", (m, p) =>
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            var request = new HttpRequestMessage(new HttpMethod(m), p) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new("application/json");
            return request;
        });
        yield return ("wrong_content_type", (m, p) => new HttpRequestMessage(new HttpMethod(m), p)
        {
            Content = new StringContent("name=x&amount=-1", Encoding.UTF8, "application/x-www-form-urlencoded"),
        });
        yield return ("hostile_query", (m, p) => new HttpRequestMessage(new HttpMethod(m),
            p + "?limit=-1&limit=99999999999&starting_after=%00%ff&ending_before=" + new string('z', 3000) +
            "&status=%27%20OR%201%3D1--&type=%E2%80%AE&metric=&from=-99999999999999&to=abc&before=9999999999999999999&customer=..%2F..%2Fetc"));
        yield return ("huge_header", (m, p) =>
        {
            var request = new HttpRequestMessage(new HttpMethod(m), p) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 40_000));
            request.Headers.TryAddWithoutValidation("Stripe-Signature", "t=abc,v1=" + new string('0', 5000));
            return request;
        });
        yield return ("junk_idempotency_key", (m, p) =>
        {
            var request = Json(m, p, "{\"name\": \"x\"}");
            request.Headers.TryAddWithoutValidation("Idempotency-Key", "' OR 1=1; -- {}<>\"%00");
            return request;
        });
        yield return ("junk_ids", (m, p) => Json(m, p, "{}"));
    }

    private static string Sample(string parameter, TestTenant tenant, string customer) => parameter switch
    {
        _ when parameter.Contains("tenant", StringComparison.OrdinalIgnoreCase) => tenant.Id,
        _ when parameter.Contains("customer", StringComparison.OrdinalIgnoreCase) => customer,
        _ when parameter.Contains("key", StringComparison.OrdinalIgnoreCase) => tenant.KeyId,
        _ => "x_" + parameter,
    };

    private static string JunkId(Random random) => random.Next(5) switch
    {
        0 => Uri.EscapeDataString("cus_\u0000\u202e" + new string('9', 200)),
        1 => "..%2F..%2Fetc%2Fpasswd",
        2 => Uri.EscapeDataString(new string('\ud83d', 1) + "\ude00" + "cus_"),
        3 => new string('a', 4000),
        _ => "%25%00%ff",
    };

    private static string Fill(string pattern, Func<string, string> value) =>
        RouteParameter().Replace(pattern, m => value(m.Groups[1].Value));

    [GeneratedRegex(@"\{\*?([A-Za-z_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
