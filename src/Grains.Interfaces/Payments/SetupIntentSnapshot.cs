namespace Platform.Grains.Interfaces.Payments;

/// <summary>A Stripe SetupIntent for collecting a card in the browser; the client secret goes to Stripe.js only.</summary>
[GenerateSerializer, Immutable, Alias("platform.setup_intent_snapshot")]
public sealed record SetupIntentSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string ClientSecret,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset Created);
