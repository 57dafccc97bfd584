using Platform.Api.OpenApi;

namespace Platform.Api.Portal;

public sealed record CreatePortalSessionRequest([property: RequiredField] string? Customer, [property: RequiredField] string? ReturnUrl);
