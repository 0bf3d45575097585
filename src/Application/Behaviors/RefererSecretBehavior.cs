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
    private readonly byte[] _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.RefererSecret));
    private readonly bool _configured = options.Value.RefererSecret.Length > 0;

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IRequireRefererSecret guarded && !Matches(guarded.RefererSecret))
        {
            throw new ForbiddenException("The referer secret is missing or wrong.");
        }

        return next(message, cancellationToken);
    }

    private bool Matches(string? presented)
    {
        // Hashing both sides first makes the comparison independent of the presented length too.
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash) & _configured & presented is not null;
    }
}
