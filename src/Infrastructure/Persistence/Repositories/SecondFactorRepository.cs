using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class SecondFactorRepository(AuthDbContext db) : ISecondFactorRepository
{
    public Task<TotpFactor?> FindTotpAsync(int userId, CancellationToken cancellationToken) =>
        db.TotpFactors.FirstOrDefaultAsync(f => f.UserId == userId, cancellationToken);

    public async Task<int> CountFactorsAsync(int userId, CancellationToken cancellationToken) =>
        await db.TotpFactors.CountAsync(f => f.UserId == userId && f.ConfirmedAt != null, cancellationToken)
        + await db.Passkeys.CountAsync(p => p.UserId == userId, cancellationToken);

    public void AddTotp(TotpFactor factor) => db.TotpFactors.Add(factor);

    public void RemoveTotp(TotpFactor factor) => db.TotpFactors.Remove(factor);

    public async Task<int> DeleteAllAsync(int userId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"DELETE FROM paseto_auth.recovery_codes WHERE user_id = {userId}", cancellationToken);
        var passkeys = await db.Database.ExecuteSqlAsync($"DELETE FROM paseto_auth.passkeys WHERE user_id = {userId}", cancellationToken);
        return passkeys + await db.Database.ExecuteSqlAsync($"DELETE FROM paseto_auth.totp_factors WHERE user_id = {userId}", cancellationToken);
    }

    public async Task<bool> TryUseTotpStepAsync(Guid factorId, long timeStep, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE paseto_auth.totp_factors SET last_used_step = {timeStep} WHERE id = {factorId} AND last_used_step < {timeStep}",
            cancellationToken) == 1;

    public async Task ReplaceRecoveryCodesAsync(int userId, IReadOnlyList<byte[]> codeHashes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"DELETE FROM paseto_auth.recovery_codes WHERE user_id = {userId}", cancellationToken);
        db.RecoveryCodes.AddRange(codeHashes.Select(h => RecoveryCode.Create(userId, h, now)));
    }

    public async Task<bool> TryUseRecoveryCodeAsync(int userId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE paseto_auth.recovery_codes SET used_at = {now} WHERE user_id = {userId} AND code_hash = {codeHash} AND used_at IS NULL",
            cancellationToken) == 1;

    public Task<int> CountUnusedRecoveryCodesAsync(int userId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.CountAsync(c => c.UserId == userId && c.UsedAt == null, cancellationToken);

    public void AddChallenge(MfaChallenge challenge) => db.MfaChallenges.Add(challenge);

    public Task<MfaChallenge?> FindChallengeAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.MfaChallenges.AsNoTracking().FirstOrDefaultAsync(c => c.TokenHash == tokenHash && c.UsedAt == null && c.ExpiresAt > now, cancellationToken);

    public Task<MfaChallenge?> FindChallengeByIdAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.MfaChallenges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == challengeId && c.UsedAt == null && c.ExpiresAt > now, cancellationToken);

    public async Task<int?> TryTakeChallengeAttemptAsync(Guid challengeId, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = await db.Database.SqlQuery<int>(
            $"""
            UPDATE paseto_auth.mfa_challenges SET attempts = attempts + 1
            WHERE id = {challengeId} AND used_at IS NULL AND expires_at > {now} AND attempts < {maxAttempts}
            RETURNING attempts AS "Value"
            """).ToListAsync(cancellationToken);
        return counts.Count == 1 ? counts[0] : null;
    }

    public async Task<bool> TryUseChallengeAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE paseto_auth.mfa_challenges SET used_at = {now} WHERE id = {challengeId} AND used_at IS NULL AND expires_at > {now}",
            cancellationToken) == 1;
}
