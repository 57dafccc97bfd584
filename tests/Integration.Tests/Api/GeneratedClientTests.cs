using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using Platform.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// The OpenAPI document as a contract: NSwag's C# generator (NSwag.CodeGeneration.CSharp, the engine of its
/// command line and MSBuild tasks) makes a typed client from the running API's /openapi/v1.json, Roslyn compiles
/// it with a small program, and the program runs against the API: create a customer, report usage, read it back.
/// In memory, so it stays within seconds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GeneratedClientTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>What a tenant's developer writes against the generated client: only its types and methods, no JSON.</summary>
    private const string Program =
        """
        using System;
        using System.Linq;
        using System.Net.Http;
        using System.Threading.Tasks;

        namespace Platform.Generated.Usage;

        public static class Program
        {
            public static async Task<string> RunAsync(HttpClient http, string key)
            {
                var client = new PlatformClient(http);
                var customer = await client.CreateCustomerAsync("signup-" + key, new CreateCustomerRequest { Email = "gen@example.com", Name = "Generated" });
                var usage = new UsageEventRequest { Event_id = "call-" + key, Customer = customer.Id, Metric = "api_calls", Quantity = 42.5 };
                var first = await client.ReportUsageEventsAsync(usage);
                var again = await client.ReportUsageEventsAsync(usage);
                var read = await client.GetCustomerUsageAsync(customer.Id, "api_calls", null, null);
                var calls = read.Data.Single();
                string refusal;
                try
                {
                    await client.CreateCustomerAsync(null, new CreateCustomerRequest { Email = "not-an-email" });
                    refusal = "none";
                }
                catch (ApiException<Problem> problem)
                {
                    refusal = $"{problem.StatusCode} {problem.Result.Code} {problem.Result.Param}";
                }
                return string.Join("|", customer.Object, customer.Id == read.Customer, first.Accepted, again.Duplicate,
                    calls.Metric, calls.Sum, calls.Count, refusal);
            }
        }
        """;

    [Fact]
    public async Task GeneratedClient_CompilesAndRuns_CreateCustomerReportUsageReadUsage()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var http = fixture.Cluster.Client(tenant.Secret);
        var json = await (await http.GetAsync("/openapi/v1.json")).EnsureSuccessStatusCode().Content.ReadAsStringAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var client = Generate(await OpenApiDocument.FromJsonAsync(json));
        var generated = clock.Elapsed;
        var assembly = Compile(client, Program);
        output.WriteLine($"generated {client.Length:N0} characters in {generated.TotalSeconds:0.0} s, compiled in {(clock.Elapsed - generated).TotalSeconds:0.0} s");
        var run = assembly.GetType("Platform.Generated.Usage.Program")!.GetMethod("RunAsync")!;
        var key = string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + c - '0') : c));
        var ran = await (Task<string>)run.Invoke(null, [http, key])!;

        Assert.Equal("customer|True|1|1|api_calls|42.5|1|400 parameter_invalid email", ran);
    }

    /// <summary>
    /// Every error the document declares is the one Problem schema (OpenApiDocumentTests holds it to that), so the client
    /// takes them as one <c>default</c> response: one catch-all block an operation instead of ten. The client is then
    /// about half the size (0.67 MB of C#), and its compile, most of this test's time, about 5 s instead of 8.
    /// </summary>
    private static string Generate(OpenApiDocument document)
    {
        foreach (var operation in document.Operations.Select(o => o.Operation))
        {
            var errors = operation.Responses.Where(r => r.Key.Length == 3 && r.Key[0] is '4' or '5').ToList();
            if (errors.Count > 0)
            {
                foreach (var (status, _) in errors)
                {
                    operation.Responses.Remove(status);
                }
                operation.Responses["default"] = errors[0].Value;
            }
        }
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "PlatformClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = "Platform.Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        settings.CSharpGeneratorSettings.GenerateNullableReferenceTypes = true;
        // Optional fields the program leaves unset go out as null, which the API reads as "not given".
        settings.CSharpGeneratorSettings.GenerateOptionalPropertiesAsNullable = true;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    /// <summary>Compiles against the running framework only (the client needs nothing else); any error fails with the compiler's text.</summary>
    private static Assembly Compile(params string[] sources)
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Platform.Generated",
            sources.Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None))),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, "The generated client does not compile:\n" + string.Join("\n", errors.Take(30)));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
