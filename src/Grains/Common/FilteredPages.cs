using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Common;

/// <summary>
/// A page of a resource-index list with filters the index cannot hold (a status changes after indexing):
/// index pages are read in order and their objects loaded and filtered until the page is full or the index
/// ends. Paging stays by cursor: the next page starts after the last object returned.
/// </summary>
public static class FilteredPages
{
    /// <summary>Objects looked at per page, at most, before the page is answered as it stands (with has_more).</summary>
    public const int MaxScanned = 1_000;

    public static async Task<Page<T>> ReadAsync<T>(
        ResourceIndex index, string scope, string kind, PageRequest request,
        Func<string, Task<T?>> load, Func<T, bool> keep, Func<T, string> idOf) where T : class
    {
        var found = new List<T>(request.Limit);
        var cursor = request;
        var scanned = 0;
        var backwards = request.EndingBefore is not null;
        while (true)
        {
            var (ids, hasMore) = await index.PageAsync(scope, kind, cursor with { Limit = Math.Min(100, request.Limit + 1) });
            var loaded = await Task.WhenAll(ids.Select(load));
            // Backwards pages come newest first too; the items nearest the cursor are the page's last.
            var ordered = backwards ? loaded.Reverse() : loaded;
            foreach (var item in ordered.OfType<T>().Where(keep))
            {
                found.Add(item);
            }
            scanned += ids.Count;
            if (found.Count > request.Limit || !hasMore || ids.Count == 0 || scanned >= MaxScanned)
            {
                var more = found.Count > request.Limit || (hasMore && ids.Count > 0);
                var page = found.Take(request.Limit).ToList();
                if (backwards)
                {
                    page.Reverse();
                }
                return new Page<T>(page, more);
            }
            cursor = backwards
                ? cursor with { EndingBefore = ids[0] }
                : cursor with { StartingAfter = ids[^1] };
        }
    }
}
