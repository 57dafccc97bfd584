using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Platform.Architecture.Tests;

/// <summary>
/// Finds, per top-level type of an assembly, every use of a forbidden type (by default: any type from
/// Stripe.net; or any type whose assembly and namespace a predicate names): base type, interfaces,
/// fields, method and property signatures, locals, custom attributes, and every type, method or field
/// token in method bodies (IL). Nested and compiler-generated types (lambdas, async state machines)
/// count for the type that declares them. Reads metadata only; nothing is loaded or run.
/// </summary>
public sealed class DependencyScanner : IDisposable
{
    public const string StripeAssembly = "Stripe.net";

    private static readonly Dictionary<short, OpCode> OpCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly PEReader _pe;
    private readonly MetadataReader _reader;
    private readonly MentionsForbidden _provider;

    private readonly Func<string, string, bool> _forbidden;

    /// <param name="forbidden">(assembly name, namespace) of a type → whether using it counts; default Stripe.net.</param>
    public DependencyScanner(string assemblyPath, Func<string, string, bool>? forbidden = null)
    {
        _forbidden = forbidden ?? ((assembly, _) => assembly == StripeAssembly);
        _pe = new PEReader(File.OpenRead(assemblyPath));
        _reader = _pe.GetMetadataReader();
        var ownName = _reader.GetString(_reader.GetAssemblyDefinition().Name);
        var forbiddenRefs = _reader.TypeReferences.Where(IsForbidden).ToHashSet();
        var forbiddenDefs = _reader.TypeDefinitions.Where(h => _forbidden(ownName, TopLevelNamespace(h))).ToHashSet();
        _provider = new MentionsForbidden(forbiddenRefs, forbiddenDefs, _reader);
    }

    /// <summary>Whether the assembly references Stripe.net at all (an AssemblyRef row: the compiler emits one only when used).</summary>
    public bool ReferencesStripeAssembly =>
        _reader.AssemblyReferences.Any(h => _reader.GetString(_reader.GetAssemblyReference(h).Name) == StripeAssembly);

    /// <summary>Top-level type full name → where it uses a forbidden type (types without uses are left out).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Scan()
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var handle in _reader.TypeDefinitions)
        {
            var type = _reader.GetTypeDefinition(handle);
            var owner = TopLevelName(handle);
            var uses = new List<string>();
            var name = FullName(handle);
            if (!type.BaseType.IsNil && Mentions(type.BaseType))
            {
                uses.Add($"{name}: base type");
            }
            foreach (var interfaceHandle in type.GetInterfaceImplementations())
            {
                if (Mentions(_reader.GetInterfaceImplementation(interfaceHandle).Interface))
                {
                    uses.Add($"{name}: implements a forbidden interface");
                }
            }
            AddAttributeUses(type.GetCustomAttributes(), name, uses);
            foreach (var fieldHandle in type.GetFields())
            {
                var field = _reader.GetFieldDefinition(fieldHandle);
                if (field.DecodeSignature(_provider, null))
                {
                    uses.Add($"{name}.{_reader.GetString(field.Name)}: field type");
                }
                AddAttributeUses(field.GetCustomAttributes(), name, uses);
            }
            foreach (var propertyHandle in type.GetProperties())
            {
                var property = _reader.GetPropertyDefinition(propertyHandle);
                if (Any(property.DecodeSignature(_provider, null)))
                {
                    uses.Add($"{name}.{_reader.GetString(property.Name)}: property type");
                }
            }
            foreach (var methodHandle in type.GetMethods())
            {
                ScanMethod(methodHandle, name, uses);
            }
            if (uses.Count > 0)
            {
                if (!result.TryGetValue(owner, out var list))
                {
                    result[owner] = list = [];
                }
                list.AddRange(uses);
            }
        }
        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Distinct().ToList(), StringComparer.Ordinal);
    }

    public void Dispose() => _pe.Dispose();

    private void ScanMethod(MethodDefinitionHandle handle, string typeName, List<string> uses)
    {
        var method = _reader.GetMethodDefinition(handle);
        var where = $"{typeName}.{_reader.GetString(method.Name)}";
        if (Any(method.DecodeSignature(_provider, null)))
        {
            uses.Add($"{where}: signature");
        }
        AddAttributeUses(method.GetCustomAttributes(), where, uses);
        if (method.RelativeVirtualAddress == 0)
        {
            return;
        }
        var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            var locals = _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_provider, null);
            if (locals.Any(l => l))
            {
                uses.Add($"{where}: local variable");
            }
        }
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            var opCode = ReadOpCode(ref il);
            switch (opCode.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    var token = il.ReadInt32();
                    if (Mentions(MetadataTokens.EntityHandle(token)))
                    {
                        uses.Add($"{where}: IL {opCode.Name}");
                    }
                    break;
                case OperandType.InlineSwitch:
                    var count = il.ReadInt32();
                    il.Offset += count * 4;
                    break;
                default:
                    il.Offset += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private void AddAttributeUses(CustomAttributeHandleCollection attributes, string where, List<string> uses)
    {
        foreach (var attributeHandle in attributes)
        {
            if (Mentions(_reader.GetCustomAttribute(attributeHandle).Constructor))
            {
                uses.Add($"{where}: attribute");
            }
        }
    }

    private bool Mentions(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                return _provider.ForbiddenRefs.Contains((TypeReferenceHandle)handle);
            case HandleKind.TypeDefinition:
                return _provider.ForbiddenDefs.Contains((TypeDefinitionHandle)handle);
            case HandleKind.TypeSpecification:
                return _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_provider, null);
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                if (Mentions(member.Parent))
                {
                    return true;
                }
                return member.GetKind() == MemberReferenceKind.Method
                    ? Any(member.DecodeMethodSignature(_provider, null))
                    : member.DecodeFieldSignature(_provider, null);
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return Mentions(spec.Method) || spec.DecodeSignature(_provider, null).Any(t => t);
            case HandleKind.MethodDefinition:
                var methodDefinition = _reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                return _provider.ForbiddenDefs.Contains(methodDefinition.GetDeclaringType()) || Any(methodDefinition.DecodeSignature(_provider, null));
            case HandleKind.FieldDefinition:
                var fieldDefinition = _reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                return _provider.ForbiddenDefs.Contains(fieldDefinition.GetDeclaringType()) || fieldDefinition.DecodeSignature(_provider, null);
            default:
                return false;
        }
    }

    private static bool Any(MethodSignature<bool> signature) => signature.ReturnType || signature.ParameterTypes.Any(p => p);

    private bool IsForbidden(TypeReferenceHandle handle)
    {
        var reference = _reader.GetTypeReference(handle);
        var scope = reference.ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => _forbidden(
                _reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name), _reader.GetString(reference.Namespace)),
            // A nested type: judged by its declaring type.
            HandleKind.TypeReference => IsForbidden((TypeReferenceHandle)scope),
            _ => false,
        };
    }

    private string TopLevelNamespace(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? _reader.GetString(type.Namespace) : TopLevelNamespace(declaring);
    }

    private string TopLevelName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? FullName(handle) : TopLevelName(declaring);
    }

    private string FullName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        var name = _reader.GetString(type.Name);
        if (!declaring.IsNil)
        {
            return FullName(declaring) + "+" + name;
        }
        var ns = _reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static OpCode ReadOpCode(ref BlobReader il)
    {
        var first = il.ReadByte();
        var value = first == 0xFE ? (short)(0xFE00 | il.ReadByte()) : first;
        return OpCodes.TryGetValue(value, out var opCode)
            ? opCode
            : throw new InvalidOperationException($"Unknown IL opcode 0x{value:X}.");
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>Decodes signatures to one answer: does this signature mention a forbidden type?</summary>
    private sealed class MentionsForbidden(
        HashSet<TypeReferenceHandle> forbiddenRefs, HashSet<TypeDefinitionHandle> forbiddenDefs, MetadataReader reader)
        : ISignatureTypeProvider<bool, object?>
    {
        public HashSet<TypeReferenceHandle> ForbiddenRefs => forbiddenRefs;

        public HashSet<TypeDefinitionHandle> ForbiddenDefs => forbiddenDefs;

        public bool GetArrayType(bool elementType, ArrayShape shape) => elementType;

        public bool GetByReferenceType(bool elementType) => elementType;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => Any(signature);

        public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => genericType || typeArguments.Any(t => t);

        public bool GetGenericMethodParameter(object? genericContext, int index) => false;

        public bool GetGenericTypeParameter(object? genericContext, int index) => false;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => modifier || unmodifiedType;

        public bool GetPinnedType(bool elementType) => elementType;

        public bool GetPointerType(bool elementType) => elementType;

        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => false;

        public bool GetSZArrayType(bool elementType) => elementType;

        public bool GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => forbiddenDefs.Contains(handle);

        public bool GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => forbiddenRefs.Contains(handle);

        public bool GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
