using System.Security.Cryptography;
using System.Text.Json.Serialization;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Auth;

/// <summary>A resource server asks whether <paramref name="Token"/> is an access token to honour now (RFC 7662).</summary>
/// <param name="ClientId">The HTTP Basic user name, or null when none was sent.</param>
/// <param name="ClientSecret">The HTTP Basic password.</param>
public sealed record IntrospectTokenCommand(string? ClientId, string? ClientSecret, string Token) : ICommand<IntrospectionResponse>;

public sealed class IntrospectTokenCommandValidator : AbstractValidator<IntrospectTokenCommand>
{
    public IntrospectTokenCommandValidator() =>
        RuleFor(c => c.Token).NotEmpty().WithMessage("A token is required.");
}

/// <summary>
/// The RFC 7662 answer: <c>{"active": false}</c> alone, or <c>active: true</c> with the token's
/// claims. <c>exp</c> and <c>iat</c> are NumericDate (seconds since the epoch), as RFC 7662 has
/// them; <c>username</c> and <c>role</c> are the account's as the database has them now.
/// </summary>
public sealed record IntrospectionResponse(
    bool Active,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sub = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sid = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Iss = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Aud = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Exp = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Iat = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Jti = null)
{
    public static readonly IntrospectionResponse Inactive = new(false);
}

/// <summary>
/// Checks the client's credential, takes one unit of its per-minute budget (shared by every
/// instance, spent from an instance's lease: <see cref="IRequestBudget"/>), then runs the very
/// checks of a bearer request: the token must read as valid (<see cref="ITokenService"/>) and its
/// session be alive with its user active (<see cref="ISessionAuthenticator"/>, from the session
/// cache or one round trip). A live token's introspection therefore usually needs no database.
/// Every other outcome (expired, revoked, malformed, a refresh token, another audience or key) is
/// the same <c>{"active": false}</c>: the client learns whether to honour the token, nothing more.
/// </summary>
/// <remarks>
/// The secret is compared as its SHA-256 with <see cref="CryptographicOperations.FixedTimeEquals"/>:
/// the configuration holds only hashes, and the time taken says nothing about how much of a guess
/// was right. An unknown id is compared against a hash too, so it takes the same time as a wrong
/// secret. The secret has 256 bits, so hashing it once (no slow password hash) is enough, and
/// keeps introspection fast.
/// </remarks>
public sealed class IntrospectTokenCommandHandler(
    ITokenService tokens,
    ISessionAuthenticator sessions,
    IRequestBudget budget,
    IOptions<IntrospectionOptions> options) : ICommandHandler<IntrospectTokenCommand, IntrospectionResponse>
{
    private static readonly byte[] _noClient = new byte[SHA256.HashSizeInBytes];

    public async ValueTask<IntrospectionResponse> Handle(IntrospectTokenCommand command, CancellationToken cancellationToken)
    {
        var client = Authenticate(command.ClientId, command.ClientSecret);
        var refused = await budget.TryTakeAsync(
            ThrottleLimit.Budget(ThrottleKeys.IntrospectionClient(client.Id), options.Value.RequestsPerMinute, TimeSpan.FromMinutes(1)),
            cancellationToken);
        if (refused is { } retryAfter)
        {
            throw new TooManyRequestsException(retryAfter, "Too many introspection requests from this client. Try again later.");
        }

        if (tokens.InspectAccessToken(command.Token, out var token) != AccessTokenStatus.Valid
            || await sessions.AuthenticateAsync(token!.Subject, cancellationToken) is not { } caller)
        {
            return IntrospectionResponse.Inactive;
        }

        return new IntrospectionResponse(
            Active: true,
            Sub: caller.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Sid: caller.SessionId.ToString(),
            Username: caller.Username,
            Role: caller.Role,
            Iss: token.Issuer,
            Aud: token.Audience,
            Exp: token.ExpiresAt.ToUnixTimeSeconds(),
            Iat: token.IssuedAt.ToUnixTimeSeconds(),
            Jti: token.TokenId);
    }

    private IntrospectionClientOptions Authenticate(string? id, string? secret)
    {
        var configured = id is null ? null : Array.Find(options.Value.Clients, c => string.Equals(c.Id, id, StringComparison.Ordinal));
        var expected = configured is null ? _noClient : Convert.FromHexString(configured.Secret);
        var presented = IntrospectionClientOptions.HashOf(secret ?? string.Empty);
        var matches = CryptographicOperations.FixedTimeEquals(presented, expected);
        return matches && configured is not null ? configured : throw new InvalidClientException();
    }
}
