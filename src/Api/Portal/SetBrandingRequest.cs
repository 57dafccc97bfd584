namespace Platform.Api.Portal;

public sealed record SetBrandingRequest(string? DisplayName, string? AccentColor);
