using Paseto.Auth.Domain.Passkeys;

namespace Paseto.Auth.Application.Passkeys;

/// <summary>A passkey as its owner sees it: never the credential id or the key.</summary>
public sealed record PasskeyView(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static PasskeyView From(Passkey passkey)
    {
        ArgumentNullException.ThrowIfNull(passkey);
        return new(passkey.Id, passkey.Name, passkey.CreatedAt, passkey.LastUsedAt);
    }
}

/// <summary>The caller's passkeys, oldest first.</summary>
public sealed record PasskeyList(IReadOnlyList<PasskeyView> Items);

/// <summary>
/// A passkey just added. <see cref="RecoveryCodes"/> is there only when it was the account's
/// first second factor (DESIGN §9: the first factor of either kind issues them), shown only here.
/// </summary>
public sealed record PasskeyAdded(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, IReadOnlyList<string>? RecoveryCodes);
