using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Auth;

public sealed record PublicKeysResponse(IReadOnlyList<PublicKeyInfo> Keys);

public sealed record GetPublicKeysQuery : IQuery<PublicKeysResponse>;

public sealed class GetPublicKeysQueryHandler(ITokenService tokens) : IQueryHandler<GetPublicKeysQuery, PublicKeysResponse>
{
    public ValueTask<PublicKeysResponse> Handle(GetPublicKeysQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PublicKeysResponse(tokens.PublicKeys));
}
