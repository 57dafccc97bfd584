using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Errors;

/// <summary>
/// Turns what ASP.NET Core's parameter binding and System.Text.Json refuse into our own words, with the
/// <c>param</c> a client can act on. The framework names a C# parameter and type ("Nullable&lt;int&gt; Limit");
/// the client sent a snake_case field. Nothing the client sent is echoed (it may be a card number).
/// </summary>
public static partial class BindingFailures
{
    /// <summary>A problem for a binding failure ASP.NET Core reported, or null when the message is not one we know.</summary>
    public static ProblemDetails? From(BadHttpRequestException bad)
    {
        if (BindFailed().Match(bad.Message) is { Success: true } failed)
        {
            var param = WireName(failed.Groups["name"].Value);
            return Problems.Create(400, ErrorCodes.ParameterInvalid, $"{param} must be {Expected(failed.Groups["type"].Value)}.", param);
        }
        if (NotProvided().Match(bad.Message) is { Success: true } missing)
        {
            if (missing.Groups["source"].Value == "body")
            {
                return MissingBody();
            }
            var param = WireName(missing.Groups["name"].Value);
            return Problems.Create(400, ErrorCodes.ParameterMissing, $"{param} is required.", param);
        }
        if (bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return MissingBody();
        }
        return null;
    }

    /// <summary>
    /// A body that is not the JSON this route reads: the field it stopped at (<c>param</c>) and what that
    /// field must be, or the unknown field's name.
    /// </summary>
    public static ProblemDetails InvalidJson(JsonException json, Type? bodyType)
    {
        var path = ParamOf(json.Path);
        if (UnknownMember().Match(json.Message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            // STJ's path may or may not already end at the unknown member.
            var param = path is null ? name : path == name || path.EndsWith($"[{name}]", StringComparison.Ordinal) ? path : $"{path}[{name}]";
            return Problems.Create(400, ErrorCodes.InvalidJson, $"{param} is not a field of this request.", param);
        }
        // STJ's message names the type being read, which for a record is the record, not the field: the
        // field's declared type says what was expected.
        if (path is not null && TypeAt(bodyType, json.Path!) is { } fieldType)
        {
            return Problems.Create(400, ErrorCodes.InvalidJson, $"{path} must be {Expected(fieldType)}.", path);
        }
        var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        return path is null
            ? Problems.Create(400, ErrorCodes.InvalidJson, $"The request body is not a valid JSON object{position}.")
            : Problems.Create(400, ErrorCodes.InvalidJson, $"The value of {path} is not valid JSON for this field{position}.", path);
    }

    private static ProblemDetails MissingBody() =>
        Problems.Create(400, ErrorCodes.InvalidJson, "The request body must be a JSON object.");

    /// <summary>Our query and form names are the snake_case of the C# names (limit, starting_after).</summary>
    private static string WireName(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>STJ's path ($.usage_charges[0].unit_amount) as our param (usage_charges[0][unit_amount]).</summary>
    private static string? ParamOf(string? path)
    {
        if (path is null || path.Length <= 2 || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = path[2..].Split('.');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Contains('[', StringComparison.Ordinal) ? $"[{p[..p.IndexOf('[', StringComparison.Ordinal)]}]{p[p.IndexOf('[', StringComparison.Ordinal)..]}" : $"[{p}]"));
    }

    /// <summary>What a .NET type is, in JSON's words.</summary>
    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) => "an integer",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type.IsEnum => "one of its listed values",
            _ when DictionaryValue(type) is not null => "an object",
            _ when ElementOf(type) is not null => "an array",
            _ => "an object",
        };
    }

    /// <summary>Expected(string) for the framework's parameter messages, which name the type in C# syntax.</summary>
    private static string Expected(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>') switch
    {
        "int" or "long" or "short" => "an integer",
        "decimal" or "double" or "float" => "a number",
        "bool" => "true or false",
        "DateTimeOffset" or "DateTime" => "a timestamp",
        _ => "of the documented type",
    };

    /// <summary>The declared type at an STJ path ($.usage_charges[0].unit_amount) in the body type, or null.</summary>
    private static Type? TypeAt(Type? root, string path)
    {
        var type = root;
        foreach (var segment in PathSegment().Matches(path).Select(m => m.Value))
        {
            if (type is null)
            {
                return null;
            }
            if (segment.StartsWith('['))
            {
                type = ElementOf(type) ?? DictionaryValue(type);
                continue;
            }
            var name = segment.TrimStart('.');
            type = DictionaryValue(type) ?? type.GetProperties().FirstOrDefault(p =>
                JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == name)?.PropertyType;
        }
        return type;
    }

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            && type != typeof(string) ? type.GetGenericArguments()[0]
        : null;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 2 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[1]
            : null;

    [GeneratedRegex(@"\.[^.\[]+|\[[^\]]*\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from""", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ "]+)" was not provided from (?<source>[a-z ]+)\.""", RegexOptions.CultureInvariant)]
    private static partial Regex NotProvided();

    [GeneratedRegex("""^The JSON property '(?<name>[^']{1,100})' could not be mapped""", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();

}
