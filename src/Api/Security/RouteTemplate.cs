using Platform.Grains.Interfaces.CardData;

namespace Platform.Api.Security;

/// <summary>
/// What the audit log and log lines name instead of a request's path: its route template
/// (<c>/v1/customers/{id}</c>), and for a path that matched no route the path with any card number
/// redacted. Paths are the caller's input; an unauthenticated one must never plant a card number in
/// the append-only audit log.
/// </summary>
public static class RouteTemplate
{
    public static string Of(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template
            ? (template.StartsWith('/') ? template : "/" + template)
            : "unmatched";

    /// <summary>The request's path with every card number (and what the log redactor removes) replaced.</summary>
    public static string RedactedPath(HttpContext context) => Redacted(context.Request.Path.Value ?? "");

    public static string Redacted(string value) => CardDataDetector.Redact(LogRedactor.Redact(Uri.UnescapeDataString(value)));
}
