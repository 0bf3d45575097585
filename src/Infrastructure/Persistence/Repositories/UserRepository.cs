using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.Infrastructure.Throttling;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class UserRepository(AuthDbContext db) : IUserRepository
{
    private const int MaxCodePoint = 0x10FFFF;
    private const string LockForLoginSql = "SELECT credential_stamp FROM paseto_auth.users WHERE id = $1 FOR UPDATE";
    private const string HasDevicesSql = "SELECT EXISTS (SELECT 1 FROM paseto_auth.devices WHERE user_id = $1)";
    private const string ActiveSessionsSql = "SELECT count(*)::int FROM paseto_auth.sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";

    // Compiled once: every login runs it, and EF Core's query cache would otherwise walk and hash
    // the expression tree to find the compiled query on each call.
    private static readonly Func<AuthDbContext, string, CancellationToken, Task<User?>> _findByLogin = EF.CompileAsyncQuery(
        (AuthDbContext db, string key, CancellationToken _) => db.Users.AsNoTracking().FirstOrDefault(u => u.NormalizedUsername == key || u.NormalizedEmail == key));

    public Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken) =>
        _findByLogin(db, User.Normalize(login), cancellationToken);

    public void Track(User user) => db.Users.Attach(user);

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var key = User.Normalize(username);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == key, cancellationToken);
    }

    public Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var key = User.Normalize(email);
        return db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == key, cancellationToken);
    }

    public Task<bool> EmailTakenAsync(string email, int exceptUserId, CancellationToken cancellationToken)
    {
        var key = User.Normalize(email);
        return db.Users.AnyAsync(u => u.NormalizedEmail == key && u.Id != exceptUserId, cancellationToken);
    }

    public void Add(User user) => db.Users.Add(user);

    public Task<List<User>> ListAsync(int afterId, int limit, string? prefix, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return db.Users.Where(u => u.Id > afterId).OrderBy(u => u.Id).TakeInline(limit).ToListAsync(cancellationToken);
        }

        // A range on each "C"-collated normalized column is an index range scan even as a prepared
        // statement, which a parameterised LIKE is not.
        var low = User.Normalize(prefix);
        var users = PrefixUpperBound(low) is { } high
            ? db.Users.FromSql($"""
                SELECT * FROM paseto_auth.users
                WHERE id > {afterId}
                  AND ((normalized_username >= {low} AND normalized_username < {high})
                    OR (normalized_email >= {low} AND normalized_email < {high}))
                """)
            : db.Users.FromSql($"""
                SELECT * FROM paseto_auth.users
                WHERE id > {afterId} AND (starts_with(normalized_username, {low}) OR starts_with(normalized_email, {low}))
                """);
        return users.OrderBy(u => u.Id).TakeInline(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The least string above every string that starts with <paramref name="prefix"/>, in the
    /// "C" collation's order, which is UTF-8 byte order and so code point order: the prefix with its
    /// last code point stepped up (over the surrogate range, which no stored text holds), dropping
    /// trailing U+10FFFF. Null when the prefix is all U+10FFFF and no such string exists. Stepping
    /// a UTF-16 unit instead would overflow at U+FFFF and split or invent surrogate pairs.
    /// </summary>
    internal static string? PrefixUpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last < MaxCodePoint)
            {
                runes.Add(new Rune(last == 0xD7FF ? 0xE000 : last + 1));
                return string.Concat(runes.Select(r => r.ToString()));
            }
        }

        return null;
    }

    public async Task<int> LockActiveAdminsAsync(CancellationToken cancellationToken) =>
        (await db.Database
            .SqlQuery<int>($"SELECT id AS \"Value\" FROM paseto_auth.users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE")
            .ToListAsync(cancellationToken)).Count;

    public async Task<LoginLock> LockForLoginAsync(int userId, DateTimeOffset now, ThrottleAttempt? succeeded, CancellationToken cancellationToken)
    {
        // On the unit of work's own connection and transaction: the lock is the transaction's, and
        // the settlement commits or rolls back with the session.
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("A login's lock needs the session's transaction.");
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockForLoginSql) { Parameters = { new NpgsqlParameter<int> { TypedValue = userId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(HasDevicesSql) { Parameters = { new NpgsqlParameter<int> { TypedValue = userId } } });
        // A statement of its own after the lock's, so under READ COMMITTED it sees every session
        // that a login holding the lock before committed.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ActiveSessionsSql)
        {
            Parameters =
            {
                new NpgsqlParameter<int> { TypedValue = userId },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        });
        if (succeeded is not null)
        {
            PostgresThrottle.AddSettlement(batch, succeeded);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        Guid? stamp = await reader.ReadAsync(cancellationToken) ? reader.GetGuid(0) : null;
        await reader.NextResultAsync(cancellationToken);
        var hasDevices = await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0);
        await reader.NextResultAsync(cancellationToken);
        var active = await reader.ReadAsync(cancellationToken) ? reader.GetInt32(0) : 0;
        return new LoginLock(stamp, hasDevices, active);
    }

    public async Task<byte[]> EnsurePasskeyUserHandleAsync(int userId, byte[] candidate, CancellationToken cancellationToken) =>
        (await db.Database
            .SqlQuery<byte[]>($"UPDATE paseto_auth.users SET passkey_user_handle = COALESCE(passkey_user_handle, {candidate}) WHERE id = {userId} RETURNING passkey_user_handle AS \"Value\"")
            .ToListAsync(cancellationToken)).Single();

    public async Task LockAndRefreshAsync(User user, CancellationToken cancellationToken)
    {
        await LockAsync(user.Id, cancellationToken);
        await db.Entry(user).ReloadAsync(cancellationToken);
    }

    public async Task<Guid?> LockAsync(int userId, CancellationToken cancellationToken) =>
        (await db.Database
            .SqlQuery<Guid>($"SELECT credential_stamp AS \"Value\" FROM paseto_auth.users WHERE id = {userId} FOR UPDATE")
            .ToListAsync(cancellationToken)).Cast<Guid?>().FirstOrDefault();
}
