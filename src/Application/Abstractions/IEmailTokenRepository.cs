using Paseto.Auth.Domain.Email;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>The one-time tokens sent by mail, found by the SHA-256 of the secret.</summary>
public interface IEmailTokenRepository
{
    /// <summary>The token with this hash, if it is unused and unexpired at <paramref name="now"/>; the caller checks its purpose.</summary>
    Task<EmailToken?> FindUsableAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Spends the token if nobody has yet, in one statement: of parallel uses exactly one gets
    /// true. Joins the current transaction, so a use that rolls back spends nothing.
    /// </summary>
    Task<bool> TryUseAsync(long tokenId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Kills every unused token of the user for the purpose (0 for a user id no one has: the same statement).</summary>
    Task<int> KillAllAsync(int userId, string purpose, DateTimeOffset now, CancellationToken cancellationToken);
}
