using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Pci.Payments;

/// <summary>
/// A final refusal from Stripe (a decline, an invalid amount), kept so that the same Idempotency-Key
/// with the same body answers the same way again, as Stripe itself does.
/// </summary>
[GenerateSerializer, Alias("platform.stored_refusal")]
public sealed class StoredRefusal
{
    [Id(0)] public PlatformErrorKind Kind { get; set; }

    [Id(1)] public string Code { get; set; } = "";

    [Id(2)] public string Message { get; set; } = "";

    [Id(3)] public string? Param { get; set; }

    [Id(4)] public string? DeclineCode { get; set; }

    public static StoredRefusal From(PlatformException refusal) => new()
    {
        Kind = refusal.Kind,
        Code = refusal.Code,
        Message = refusal.Message,
        Param = refusal.Param,
        DeclineCode = refusal.DeclineCode,
    };

    public PlatformException ToException() => new(Kind, Code, Message, Param) { DeclineCode = DeclineCode };
}
