namespace Platform.StripeFake.Requests;

/// <summary>Every API request the fake received (control endpoints under <c>/_fake</c> excluded).</summary>
public sealed class RequestLog
{
    private readonly Lock _sync = new();
    private readonly List<RecordedRequest> _entries = [];

    /// <summary>A copy of the log, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Entries
    {
        get
        {
            lock (_sync)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>How many requests with this method whose path starts with <paramref name="pathPrefix"/>.</summary>
    public int Count(string method, string pathPrefix) =>
        Entries.Count(e => string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase)
            && e.Path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase));

    public void Clear()
    {
        lock (_sync)
        {
            _entries.Clear();
        }
    }

    internal void Add(RecordedRequest request)
    {
        lock (_sync)
        {
            _entries.Add(request);
        }
    }
}
