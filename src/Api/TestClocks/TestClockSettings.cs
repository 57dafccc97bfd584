namespace Platform.Api.TestClocks;

/// <summary>
/// <c>Billing:TestClocks</c>: whether test clocks may be made and used. On in Development, off otherwise unless set;
/// when off, every test clock route and a customer created with <c>test_clock</c> are refused (403 <c>test_clocks_disabled</c>).
/// </summary>
public sealed class TestClockSettings
{
    public const string Key = "Billing:TestClocks";

    public bool Enabled { get; set; }
}
