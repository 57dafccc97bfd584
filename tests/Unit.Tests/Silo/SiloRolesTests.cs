using Platform.Silo.Hosting;

namespace Platform.Unit.Tests.Silo;

public sealed class SiloRolesTests
{
    [Theory]
    [InlineData(null, "core,pci")]
    [InlineData("", "core,pci")]
    [InlineData("core", "core")]
    [InlineData(" PCI ", "pci")]
    [InlineData("pci,core", "core,pci")]
    public void Parse_AcceptsKnownRoles(string? value, string expected) =>
        Assert.Equal(expected, string.Join(',', SiloRoles.Parse(value).Order()));

    [Theory]
    [InlineData("admin")]
    [InlineData("core,gpu")]
    [InlineData(",")]
    public void Parse_RefusesUnknownRoles(string value) =>
        Assert.Throws<InvalidOperationException>(() => SiloRoles.Parse(value));

    [Fact]
    public void ToMetadata_MarksEachRole()
    {
        var metadata = SiloRoles.ToMetadata(SiloRoles.Parse("pci"));

        Assert.Equal("true", metadata["role.pci"]);
        Assert.False(metadata.ContainsKey("role.core"));
        Assert.Equal("pci", metadata["roles"]);
    }
}
