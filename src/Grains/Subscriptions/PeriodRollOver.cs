namespace Platform.Grains.Subscriptions;

/// <summary>
/// One period roll-over of a subscription the platform drives: <see cref="Closed"/> ended and
/// <see cref="Opened"/> begins where it ended. <see cref="ClosedWasTrial"/>: the closed period was the
/// trial (it costs nothing). Roll-overs are made one period at a time, so each closed period is seen once.
/// </summary>
public sealed record PeriodRollOver(BillingPeriod Closed, BillingPeriod Opened, bool ClosedWasTrial);
