namespace Platform.Grains.Interfaces.Plans;

/// <summary>How a usage charge turns a quantity into money. Values are stored: never reuse one.</summary>
[GenerateSerializer, Alias("platform.pricing_model")]
public enum PricingModel
{
    /// <summary>quantity × unit_amount.</summary>
    PerUnit = 1,

    /// <summary>⌈quantity ÷ package_size⌉ × package_amount.</summary>
    Package = 2,

    /// <summary>Each tier prices the units that fall inside it; the sum over tiers.</summary>
    Graduated = 3,

    /// <summary>The one tier the total quantity falls into prices every unit.</summary>
    Volume = 4,
}
