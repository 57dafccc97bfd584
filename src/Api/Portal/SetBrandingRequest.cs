using Platform.Api.OpenApi;

namespace Platform.Api.Portal;

public sealed record SetBrandingRequest(string? DisplayName, [property: RequiredField] string? AccentColor);
