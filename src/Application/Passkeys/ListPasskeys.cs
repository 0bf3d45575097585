using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Passkeys;

public sealed record ListPasskeysQuery(int UserId) : IQuery<PasskeyList>;

/// <summary>The caller's passkeys, oldest first: names and times, never a credential id or key.</summary>
public sealed class ListPasskeysQueryHandler(IPasskeyRepository passkeys) : IQueryHandler<ListPasskeysQuery, PasskeyList>
{
    public async ValueTask<PasskeyList> Handle(ListPasskeysQuery query, CancellationToken cancellationToken) =>
        new([.. (await passkeys.ListAsync(query.UserId, cancellationToken)).Select(PasskeyView.From)]);
}
