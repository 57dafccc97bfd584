namespace Platform.Grains.Interfaces.Common;

/// <summary>
/// A list's <c>starting_after</c> or <c>ending_before</c> that names no object of that list: a 400
/// <c>resource_missing</c> naming the parameter (as Stripe answers), never an empty page that looks like
/// the end of the list.
/// </summary>
public static class UnknownCursor
{
    public const string Code = "resource_missing";

    public static PlatformException Of(string param = "starting_after") =>
        new(PlatformErrorKind.InvalidRequest, Code, $"{param} names no object in this list.", param);
}
