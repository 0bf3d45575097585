using Microsoft.Extensions.Options;

namespace Paseto.Auth.Infrastructure.Authentication;

/// <summary>
/// The <c>Auth:SessionCache</c> settings: each instance's memory of recent bearer checks, kept
/// honest by PostgreSQL <c>LISTEN/NOTIFY</c> (<see cref="SessionCache"/>).
/// </summary>
public sealed class SessionCacheOptions
{
    public const string Section = "Auth:SessionCache";

    /// <summary>The connection string of the listening connection; the main one when unset.</summary>
    public const string ListenConnectionStringName = "PostgresListen";

    /// <summary>False: every bearer request reads its session from the database, as without a cache.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many sessions an instance remembers at most; past it, new answers are not kept.</summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>The longest an answer is trusted, whatever the notifications say.</summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the instance notifies itself to prove its listening connection current. The
    /// cache is trusted only while the last heartbeat it received was sent less than
    /// <see cref="Guarantee"/> ago: a change committed anywhere is honoured by every instance
    /// within that.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest a committed change may go unseen by an instance: two heartbeat intervals.</summary>
    public TimeSpan Guarantee => 2 * HeartbeatInterval;
}

internal sealed class SessionCacheOptionsValidator : IValidateOptions<SessionCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxEntries < 1)
        {
            failures.Add("Auth:SessionCache:MaxEntries must be at least 1.");
        }

        if (options.EntryLifetime <= TimeSpan.Zero)
        {
            failures.Add("Auth:SessionCache:EntryLifetime must be positive.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(10) || options.HeartbeatInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add("Auth:SessionCache:HeartbeatInterval must be between 10 ms and 10 s.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
