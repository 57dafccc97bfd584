namespace Platform.StripeFake.Idempotency;

/// <summary>One key's fingerprint of parameters and, once the first request finished, its response.</summary>
internal sealed class IdempotencyEntry(string fingerprint)
{
    public string Fingerprint { get; } = fingerprint;

    public StoredResponse? Response { get; set; }
}
