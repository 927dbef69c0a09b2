namespace Ferry.Sync;

/// <summary>The sync is running elsewhere: another process holds its advisory lock. <see cref="Holder"/> says who.</summary>
public sealed class SyncLockedException : FerryException
{
    public SyncLockedException(string message, string holder)
        : base(message, FailureKind.Failed) => Holder = holder;

    public SyncLockedException() : this("The sync is running elsewhere.", "another session") { }

    public SyncLockedException(string message) : this(message, "another session") { }

    public SyncLockedException(string message, Exception inner) : base(message, FailureKind.Failed, inner) => Holder = "another session";

    /// <summary>The process holding the lock, as its session names it (program, process id, machine) and since when.</summary>
    public string Holder { get; }
}
