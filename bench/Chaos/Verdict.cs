namespace Platform.Bench.Chaos;

/// <summary>What the checks found: counts for the summary and every broken invariant, worded.</summary>
public sealed class Verdict
{
    public List<string> Failures { get; } = [];
    public List<string> Lines { get; } = [];

    public void Check(bool holds, string failure)
    {
        if (!holds)
        {
            Failures.Add(failure);
        }
    }
}
