namespace Platform.Integration.Tests.Infrastructure;

/// <summary>How <see cref="OwnerWatchdog"/> stops its child once the owner is gone.</summary>
public enum SignalStop
{
    /// <summary>SIGINT: PostgreSQL's fast shutdown.</summary>
    Interrupt = 1,

    /// <summary>SIGKILL: a silo needs no shutdown once nobody is testing it.</summary>
    Kill = 2,
}
