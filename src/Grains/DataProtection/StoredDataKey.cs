namespace Platform.Grains.DataProtection;

/// <summary>A row of platform_data_keys: <see cref="Wrapped"/> is null once the key was shredded.</summary>
public sealed record StoredDataKey(string Scope, string? KekId, string? Wrapped);
