using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Email;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class EmailTokenRepository(AuthDbContext db) : IEmailTokenRepository
{
    public Task<EmailToken?> FindUsableAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.EmailTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == tokenHash && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);

    public async Task<bool> TryUseAsync(long tokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE paseto_auth.email_tokens SET used_at = {now} WHERE id = {tokenId} AND used_at IS NULL AND expires_at > {now}",
            cancellationToken) == 1;

    public Task<int> KillAllAsync(int userId, string purpose, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"UPDATE paseto_auth.email_tokens SET used_at = {now} WHERE user_id = {userId} AND purpose = {purpose} AND used_at IS NULL",
            cancellationToken);
}
