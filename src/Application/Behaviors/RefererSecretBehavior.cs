using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Behaviors;

/// <summary>A message that only holders of the shared signup secret may send.</summary>
public interface IRequireRefererSecret
{
    string? RefererSecret { get; }
}

/// <summary>
/// Checks the referer secret before anything else, validation included, so a caller without
/// it learns nothing about the rules. The comparison is constant-time: its duration does not
/// depend on how many leading characters were right.
/// </summary>
public sealed class RefererSecretBehavior<TMessage, TResponse>(IOptions<AuthOptions> options) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IRequireRefererSecret guarded && !Matches(guarded.RefererSecret))
        {
            throw new ForbiddenException("The referer secret is missing or wrong.", ForbiddenReason.RefererSecret);
        }

        return next(message, cancellationToken);
    }

    // Only messages that carry the secret pay for hashing it: the behaviour is built for every
    // message (the mediator is scoped), profile reads on the hot path included.
    private bool Matches(string? presented)
    {
        // Hashing both sides first makes the comparison independent of the presented length too.
        var expected = options.Value.RefererSecret;
        var expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash) & expected.Length > 0 & presented is not null;
    }
}
