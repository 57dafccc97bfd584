namespace Platform.Api.Security;

/// <summary>Why the card-data guard refuses a request: the answer, and the kind of card data found (never its value).</summary>
public sealed record RequestRefusal(int Status, string Code, string Detail, string? Kind, string? Param = null);
