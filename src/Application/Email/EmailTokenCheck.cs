using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Email;

namespace Paseto.Auth.Application.Email;

/// <summary>
/// Finds the token a link carried. Every way a token can be wrong (malformed, unknown, spent,
/// expired, of another purpose) gives one 400, so an answer tells nothing about other tokens.
/// </summary>
internal static class EmailTokenCheck
{
    public static async Task<EmailToken> FindAsync(
        IEmailTokenRepository tokens, string token, DateTimeOffset now, IReadOnlyCollection<string> purposes, CancellationToken cancellationToken)
    {
        if (OpaqueToken.TryHash(token, out var hash)
            && await tokens.FindUsableAsync(hash, now, cancellationToken) is { } found
            && purposes.Contains(found.Purpose))
        {
            return found;
        }

        throw Invalid();
    }

    public static RequestValidationException Invalid() =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["Token"] = ["The token is invalid, expired or already used."] });
}
