namespace Platform.Grains.Interfaces.Payments;

/// <summary>Stripe's publishable key for Stripe.js; configuration of pci silos, hence served from there. Key 0.</summary>
[Alias("platform.publishable_key")]
public interface IPublishableKeyGrain : IGrainWithIntegerKey
{
    [Alias("get")]
    Task<string> GetAsync();
}
