namespace Platform.Api.OpenApi;

/// <summary>
/// A request field the API refuses the request without (400 <c>parameter_missing</c> naming it): the OpenAPI
/// document lists it in the schema's <c>required</c>. The C# type stays nullable, so the handler, not the binder,
/// answers a missing field with our own problem document.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredFieldAttribute : Attribute;
