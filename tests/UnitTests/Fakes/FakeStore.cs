using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.UnitTests.Fakes;

/// <summary>
/// What a handler test runs on instead of the database: the fake repositories, one unit of work
/// and a clock that moves only when told, empty at the start.
/// </summary>
internal sealed class FakeStore
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public FakeStore() => Sessions = new(Users);

    public FakeUsers Users { get; } = new();

    public FakeSessions Sessions { get; }

    public FakeEvents Events { get; } = new();

    public FakeUnitOfWork UnitOfWork { get; } = new();

    public User AddUser(string username, string role = Roles.Member)
    {
        var user = User.Create(username, $"{username}@example.test", "hash:password", username, role, Time.GetUtcNow());
        Users.Add(user);
        return user;
    }

    public SessionIssuer Issuer(AuthOptions? options = null) =>
        new(Users, Sessions, Events, new FakeTokens(), UnitOfWork, Options.Create(options ?? new AuthOptions()));
}
