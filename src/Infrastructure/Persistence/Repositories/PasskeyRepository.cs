using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Passkeys;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class PasskeyRepository(AuthDbContext db) : IPasskeyRepository
{
    public Task<List<Passkey>> ListAsync(int userId, CancellationToken cancellationToken) =>
        db.Passkeys.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(cancellationToken);

    public Task<Passkey?> FindAsync(int userId, Guid id, CancellationToken cancellationToken) =>
        db.Passkeys.FirstOrDefaultAsync(p => p.Id == id && p.UserId == userId, cancellationToken);

    public Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        db.Passkeys.AsNoTracking().FirstOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);

    public Task<int> CountAsync(int userId, CancellationToken cancellationToken) =>
        db.Passkeys.CountAsync(p => p.UserId == userId, cancellationToken);

    public Task<bool> CredentialIdTakenAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        db.Passkeys.AnyAsync(p => p.CredentialId == credentialId, cancellationToken);

    public void Add(Passkey passkey) => db.Passkeys.Add(passkey);

    public void Remove(Passkey passkey) => db.Passkeys.Remove(passkey);

    public async Task<bool> TryRecordUseAsync(Guid passkeyId, long newCount, bool backedUp, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE paseto_auth.passkeys SET sign_count = {newCount}, backed_up = {backedUp}, last_used_at = {now}
            WHERE id = {passkeyId} AND ({newCount} = 0 OR sign_count < {newCount})
            """,
            cancellationToken) == 1;

    public void AddChallenge(PasskeyChallenge challenge) => db.PasskeyChallenges.Add(challenge);

    public async Task<PasskeyChallenge?> TryConsumeChallengeAsync(Guid challengeId, IReadOnlyList<string> purposes, int? userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement: of any number of requests presenting the id, one gets the row.
        var purposeList = purposes.ToArray();
        var rows = await db.PasskeyChallenges.FromSql(
            $"""
            DELETE FROM paseto_auth.passkey_challenges
            WHERE id = {challengeId} AND expires_at > {now} AND purpose = ANY({purposeList})
              AND ({userId}::integer IS NULL OR user_id = {userId})
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Count == 1 ? rows[0] : null;
    }
}
