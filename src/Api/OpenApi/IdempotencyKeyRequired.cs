namespace Platform.Api.OpenApi;

/// <summary>
/// Endpoint metadata of the routes that move money and refuse a request without an <c>Idempotency-Key</c>
/// (400 <c>parameter_missing</c>): the document marks the header required there.
/// </summary>
public sealed class IdempotencyKeyRequired
{
    public static readonly IdempotencyKeyRequired Instance = new();
}
