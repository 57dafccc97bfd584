namespace Platform.StripeFake.Idempotency;

/// <summary>The first response to an idempotency key, replayed to later requests with the same key.</summary>
internal sealed record StoredResponse(int StatusCode, string? ContentType, byte[] Body, string? RequestId);
