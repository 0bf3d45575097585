using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.UnitTests.Fakes;

namespace Paseto.Auth.UnitTests.Application;

public sealed class LoginUserHandlerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private FakeUsers _users = null!;
    private FakeSessions _sessions = null!;
    private FakeUnitOfWork _unitOfWork = null!;
    private FakeEvents _events = null!;

    [SetUp]
    public void SetUp()
    {
        _users = new FakeUsers();
        _sessions = new FakeSessions(_users);
        _unitOfWork = new FakeUnitOfWork();
        _events = new FakeEvents();
        _users.Add(User.Create("alice", "alice@example.test", "hash:right password", "Alice", Roles.Member, _time.GetUtcNow()));
    }

    private LoginUserCommandHandler Handler(IPasswordHasher hasher)
    {
        var (devices, options) = (new FakeDevices(), Options.Create(new AuthOptions()));
        var mail = new AccountMail(new FakeMailOutbox(), new NoThrottle(), options);
        var signInMail = new SignInMail(_events, new NoThrottle(), mail, _unitOfWork, options);
        return new(_users, devices, _events, _unitOfWork, hasher, new NoThrottle(),
            new LoginCompletion(devices, new SessionIssuer(_users, _sessions, _events, new FakeTokens(), _unitOfWork, options), signInMail),
            new MfaChallenges(new NoSecondFactors(), new NoPasskeys(), _unitOfWork, options),
            signInMail, options, _time);
    }

    private static LoginUserCommand Login(string username, string password) =>
        new(username, password, null, new ClientInfo("192.0.2.1", "tests"));

    [Test]
    public void An_unknown_user_costs_one_hash_like_a_wrong_password()
    {
        var unknownHasher = new CountingHasher();
        var wrongHasher = new CountingHasher();

        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await Handler(unknownHasher).Handle(Login("nobody", "x"), default));
        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await Handler(wrongHasher).Handle(Login("alice", "wrong"), default));

        Assert.That(unknownHasher.Burns + unknownHasher.Verifies, Is.EqualTo(1));
        Assert.That(wrongHasher.Burns + wrongHasher.Verifies, Is.EqualTo(1));
        Assert.That(_sessions.Sessions, Is.Empty);
        Assert.That(_events.Events.Select(e => (e.Type, e.UserId)), Is.EqualTo(new[] { ("login_failed", (int?)null), ("login_failed", (int?)1) }),
            "the unknown name's event belongs to no one; both cost one insert");
        Assert.That(_unitOfWork.Commits, Is.EqualTo(2));
    }

    [Test]
    public async Task A_hash_with_old_parameters_is_replaced_on_a_successful_login()
    {
        var hasher = new CountingHasher(PasswordVerification.SucceededNeedsRehash);

        await Handler(hasher).Handle(Login("alice", "right password"), default);

        Assert.That(hasher.Hashes, Is.EqualTo(1));
        Assert.That(_users.Users[0].PasswordHash, Is.EqualTo("hash:right password"));
        Assert.That(_unitOfWork.Commits, Is.EqualTo(1), "the new hash and the session commit together");
    }

    [Test]
    public async Task A_current_hash_is_left_alone()
    {
        var hasher = new CountingHasher();

        var response = await Handler(hasher).Handle(Login("ALICE", "right password"), default);

        Assert.That(hasher.Hashes, Is.Zero);
        Assert.That(response.TokenType, Is.EqualTo("bearer"));
        Assert.That(response.ExpiresIn, Is.EqualTo(900));
        Assert.That(_sessions.Sessions.Single().Id, Is.EqualTo(response.SessionId));
        Assert.That(_sessions.Sessions.Single().Ip, Is.EqualTo("192.0.2.1"));
    }
}
