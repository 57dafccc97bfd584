using System.Text.Json;
using Platform.Cli.Http;

namespace Platform.Cli;

/// <summary>Human output: an object as aligned "field  value" lines, a list as one line per object.</summary>
public static class ResultPrinter
{
    public static void Print(ApiResult result, TextWriter output)
    {
        if (result.Json() is not { } root)
        {
            output.WriteLine(result.Body.Length == 0 ? "ok" : result.Body);
            return;
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("object", out var kind) && kind.GetString() == "list"
            && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            PrintList(data, output);
            if (root.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True)
            {
                output.WriteLine("(more: pass --starting-after with the last id)");
            }
            return;
        }
        PrintObject(root, output);
    }

    public static void PrintProblem(JsonElement problem, TextWriter error)
    {
        foreach (var field in new[] { "detail", "param", "request_id" })
        {
            if (problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
            {
                error.WriteLine($"  {field}: {value.GetString()}");
            }
        }
    }

    public static void PrintObject(JsonElement item, TextWriter output)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            output.WriteLine(item.GetRawText());
            return;
        }
        var fields = item.EnumerateObject().ToList();
        var width = fields.Count == 0 ? 0 : fields.Max(f => f.Name.Length);
        foreach (var field in fields)
        {
            output.WriteLine($"{field.Name.PadRight(width)}  {Scalar(field.Value)}");
        }
    }

    private static void PrintList(JsonElement data, TextWriter output)
    {
        var items = data.EnumerateArray().ToList();
        if (items.Count == 0)
        {
            output.WriteLine("(none)");
            return;
        }
        foreach (var item in items)
        {
            var cells = item.ValueKind == JsonValueKind.Object
                ? item.EnumerateObject()
                    .Where(f => f.Name != "object" && f.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                    .Select(f => f.Name == "id" ? Scalar(f.Value) : $"{f.Name}={Scalar(f.Value)}")
                : [item.GetRawText()];
            output.WriteLine(string.Join("  ", cells));
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "-",
        _ => value.GetRawText(),
    };
}
