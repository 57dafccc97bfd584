using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Plans;

/// <summary>
/// A tenant's plan catalog: ordinary (non-PCI) data, persisted whole on every change. Tenants hold tens of
/// plans, not thousands, so one grain state is the simplest store that keeps codes unique.
/// </summary>
public sealed class PlanCatalogGrain(
    [PersistentState(PlanCatalogGrain.StateName, PlatformStorage.Name)] IPersistentState<PlanCatalogState> catalog,
    TimeProvider clock) : Grain, IPlanCatalogGrain
{
    public const string StateName = "plan_catalog";
    public const int MaxPlans = 500;

    public async Task<PlanSnapshot> CreateAsync(PlanDraft draft)
    {
        var plans = catalog.State.Plans;
        if (plans.Any(p => p.Definition.Code == draft.Code))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "plan_code_in_use", "A plan with this code already exists.", "code");
        }
        if (plans.Count >= MaxPlans)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "plan_limit_reached", $"A tenant holds at most {MaxPlans} plans.");
        }
        var plan = new PlanRecord { Id = PlatformIds.NewPlanId(), Definition = draft, Created = clock.GetUtcNow() };
        plans.Add(plan);
        await catalog.WriteStateAsync();
        await AuditAsync(AuditActions.PlanCreated, plan.Id, new Dictionary<string, string>
        {
            ["code"] = draft.Code,
            ["currency"] = draft.Currency,
            ["amount"] = draft.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return plan.Snapshot();
    }

    public Task<PlanSnapshot?> GetAsync(string planId) => Task.FromResult(Find(planId)?.Snapshot());

    public Task<Page<PlanSnapshot>> ListAsync(PageRequest page)
    {
        IEnumerable<PlanRecord> newestFirst = Enumerable.Reverse(catalog.State.Plans);
        if (page.StartingAfter is { } after)
        {
            if (Find(after) is null)
            {
                throw UnknownCursor.Of();
            }
            newestFirst = newestFirst.SkipWhile(p => p.Id != after).Skip(1);
        }
        var items = newestFirst.Take(page.Limit + 1).Select(p => p.Snapshot()).ToList();
        var hasMore = items.Count > page.Limit;
        return Task.FromResult(new Page<PlanSnapshot>(items.Take(page.Limit).ToArray(), hasMore));
    }

    public async Task<PlanSnapshot?> ArchiveAsync(string planId)
    {
        if (Find(planId) is not { } plan)
        {
            return null;
        }
        if (!plan.Archived)
        {
            plan.Archived = true;
            await catalog.WriteStateAsync();
            await AuditAsync(AuditActions.PlanArchived, plan.Id, new Dictionary<string, string> { ["code"] = plan.Definition.Code });
        }
        return plan.Snapshot();
    }

    public async Task<bool> DeleteAsync(string planId)
    {
        if (Find(planId) is not { } plan)
        {
            return false;
        }
        if (plan.Subscribers.Count > 0)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "plan_in_use",
                "Subscriptions use this plan: archive it instead (no new subscriptions, existing ones continue).");
        }
        catalog.State.Plans.Remove(plan);
        await catalog.WriteStateAsync();
        await AuditAsync(AuditActions.PlanDeleted, plan.Id, new Dictionary<string, string> { ["code"] = plan.Definition.Code });
        return true;
    }

    public async Task<PlanSnapshot> AttachAsync(string planId, string customerId)
    {
        if (Find(planId) is not { } plan)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such plan.", "plan");
        }
        if (plan.Subscribers.Contains(customerId))
        {
            return plan.Snapshot();
        }
        if (plan.Archived)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "plan_archived", "This plan is archived and takes no new subscriptions.", "plan");
        }
        plan.Subscribers.Add(customerId);
        await catalog.WriteStateAsync();
        return plan.Snapshot();
    }

    public Task<bool> SetStripePriceAsync(string planId, string stripePriceId) => SetStripePricesAsync(planId, stripePriceId, []);

    public async Task<bool> SetStripePricesAsync(string planId, string stripePriceId, IReadOnlyList<StripeUsagePrice> usagePrices)
    {
        if (Find(planId) is not { } plan)
        {
            return false;
        }
        if (plan.StripePriceId != stripePriceId || !plan.StripeUsagePrices.SequenceEqual(usagePrices))
        {
            plan.StripePriceId = stripePriceId;
            plan.StripeUsagePrices = [.. usagePrices];
            await catalog.WriteStateAsync();
        }
        return true;
    }

    public async Task<PlanSnapshot?> AttachStripeSubscriberAsync(string? stripePriceId, string? planIdHint, string customerId)
    {
        var plan = (stripePriceId is null ? null : catalog.State.Plans.Find(p => p.StripePriceId == stripePriceId))
                   ?? (planIdHint is null ? null : Find(planIdHint));
        if (plan is null)
        {
            return null;
        }
        if (plan.Subscribers.Add(customerId))
        {
            await catalog.WriteStateAsync();
        }
        return plan.Snapshot();
    }

    public async Task DetachAsync(string planId, string customerId)
    {
        if (Find(planId) is { } plan && plan.Subscribers.Remove(customerId))
        {
            await catalog.WriteStateAsync();
        }
    }

    private Task AuditAsync(string action, string planId, IReadOnlyDictionary<string, string> details) =>
        GrainFactory.GetGrain<IAuditLogGrain>(this.GetPrimaryKeyString()).AppendAsync(new AuditDraft(action, planId, details));

    private PlanRecord? Find(string planId) => catalog.State.Plans.Find(p => p.Id == planId);
}
