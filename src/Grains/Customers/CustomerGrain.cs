using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Telemetry;

namespace Platform.Grains.Customers;

public sealed class CustomerGrain(
    [PersistentState(CustomerGrain.StateName, PlatformStorage.Name)] IPersistentState<CustomerState> customer,
    ResourceIndex index,
    TimeProvider clock,
    BillingMetrics metrics) : Grain, ICustomerGrain
{
    public const string StateName = "customer";

    public async Task<CustomerSnapshot> CreateAsync(CustomerDraft draft)
    {
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        if (customer.State.Id is not null)
        {
            return customer.State.Fingerprint is not null && customer.State.Fingerprint == draft.Fingerprint
                ? Snapshot()
                : throw new PlatformException(PlatformErrorKind.Conflict, "idempotency_key_in_use",
                    "This Idempotency-Key was already used with a different request body.");
        }
        var now = clock.GetUtcNow();
        // Index first (see TenantGrain.CreateAsync): listing skips ids that have no state.
        await index.AddAsync(tenantId, ResourceKinds.Customer, customerId, now);
        var state = customer.State;
        state.Id = customerId;
        state.Email = draft.Email;
        state.Name = draft.Name;
        state.Description = draft.Description;
        state.Metadata = new Dictionary<string, string>(draft.Metadata);
        state.Created = now;
        state.Updated = now;
        state.Fingerprint = draft.Fingerprint;
        await customer.WriteStateAsync();
        metrics.CustomerCreated();
        return Snapshot();
    }

    public Task<CustomerSnapshot?> GetAsync() =>
        Task.FromResult(customer.State.Id is null ? null : Snapshot());

    public async Task<CustomerSnapshot?> UpdateAsync(CustomerPatch patch)
    {
        var state = customer.State;
        if (state.Id is null)
        {
            return null;
        }
        state.Email = Apply(state.Email, patch.Email);
        state.Name = Apply(state.Name, patch.Name);
        state.Description = Apply(state.Description, patch.Description);
        foreach (var (key, value) in patch.Metadata ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                state.Metadata.Remove(key);
            }
            else
            {
                state.Metadata[key] = value;
            }
        }
        state.Updated = clock.GetUtcNow();
        await customer.WriteStateAsync();
        return Snapshot();
    }

    private static string? Apply(string? current, string? patch) => patch switch
    {
        null => current,
        "" => null,
        _ => patch,
    };

    private CustomerSnapshot Snapshot()
    {
        var state = customer.State;
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return new CustomerSnapshot(state.Id!, tenantId, state.Email, state.Name, state.Description,
            state.Metadata.AsReadOnly(), state.Created, state.Updated);
    }
}
