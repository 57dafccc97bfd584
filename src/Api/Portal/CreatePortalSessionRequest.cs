namespace Platform.Api.Portal;

public sealed record CreatePortalSessionRequest(string? Customer, string? ReturnUrl);
