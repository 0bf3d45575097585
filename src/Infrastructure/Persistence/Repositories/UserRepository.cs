using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class UserRepository(AuthDbContext db) : IUserRepository
{
    public Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken)
    {
        var key = User.Normalize(login);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == key || u.NormalizedEmail == key, cancellationToken);
    }

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var key = User.Normalize(username);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == key, cancellationToken);
    }

    public Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

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
        var high = low[..^1] + (char)(low[^1] + 1);
        return db.Users
            .FromSql($"""
                SELECT * FROM paseto_auth.users
                WHERE id > {afterId}
                  AND ((normalized_username >= {low} AND normalized_username < {high})
                    OR (normalized_email >= {low} AND normalized_email < {high}))
                """)
            .OrderBy(u => u.Id)
            .TakeInline(limit)
            .ToListAsync(cancellationToken);
    }

    public async Task<int> LockActiveAdminsAsync(CancellationToken cancellationToken) =>
        (await db.Database
            .SqlQuery<int>($"SELECT id AS \"Value\" FROM paseto_auth.users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE")
            .ToListAsync(cancellationToken)).Count;

    public async Task<Guid?> LockAsync(int userId, CancellationToken cancellationToken) =>
        (await db.Database
            .SqlQuery<Guid>($"SELECT credential_stamp AS \"Value\" FROM paseto_auth.users WHERE id = {userId} FOR UPDATE")
            .ToListAsync(cancellationToken)).Cast<Guid?>().FirstOrDefault();
}
