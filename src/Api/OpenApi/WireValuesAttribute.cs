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

    public IReadOnlyList<string> Values { get; }
}
