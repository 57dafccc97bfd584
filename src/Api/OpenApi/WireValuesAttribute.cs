using System.Text.Json;

namespace Platform.Api.OpenApi;

/// <summary>
/// The values a string field takes (an <c>enum</c> in the OpenAPI document; on a list, of its items): given
/// as text, or as a C# enumeration whose names the wire spells in snake_case (<c>PerUnit</c> → <c>per_unit</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WireValuesAttribute : Attribute
{
    public WireValuesAttribute(params string[] values) => Values = values;

    public WireValuesAttribute(Type enumeration) =>
        Values = Enum.GetNames(enumeration).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToArray();

    /// <summary>The values held by a static field or property of <paramref name="holder"/>, the list its handler checks against.</summary>
    public WireValuesAttribute(Type holder, string member) =>
        Values = [.. (IEnumerable<string>)(holder.GetField(member, AnyStatic)?.GetValue(null)
            ?? holder.GetProperty(member, AnyStatic)?.GetValue(null)
            ?? throw new ArgumentException($"{holder.Name}.{member} is not a static list of values.", nameof(member)))];

    public IReadOnlyList<string> Values { get; }

    private const System.Reflection.BindingFlags AnyStatic =
        System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
}
