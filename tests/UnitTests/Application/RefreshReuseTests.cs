using Microsoft.Extensions.Options;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.UnitTests.Fakes;

namespace Paseto.Auth.UnitTests.Application;

/// <summary>
/// A refresh token spent by a rotation and presented again means two parties hold it: the
/// session ends (reason <c>refresh_token_reuse</c>), the event says so, and every token of the
/// session stops working, the newest too. Parallel refreshes with one token are proven on the
/// real database by
/// <c>IntegrationTests.Sessions.RefreshTests.Two_refreshes_racing_with_one_token_issue_at_most_one_pair</c>.
/// </summary>
public sealed class RefreshReuseTests
{
    private FakeStore _store = null!;
    private static readonly ClientInfo _client = new("192.0.2.1", "tests");
    private SessionIssuer _issuer = null!;
    private User _alice = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new FakeStore();
        _issuer = _store.Issuer();
        _alice = _store.AddUser("alice");
    }

    private ValueTask<TokenResponse> RefreshAsync(string refreshToken) =>
        new RefreshTokensCommandHandler(
                _store.Users, _store.Sessions, _store.Events, _issuer,
                new AccountMail(new FakeMailOutbox(), new NoThrottle(), Options.Create(new AuthOptions())),
                _store.UnitOfWork, Options.Create(new AuthOptions()), _store.Time)
            .Handle(new RefreshTokensCommand(refreshToken, _client), default);

    private Task<TokenResponse> LoginAsync() => _issuer.StartAsync(_alice, _client, [AuthMethods.Password], _store.Time.GetUtcNow(), default);

    private string[] EventTypesAfterLogin() => [.. _store.Events.Events.Select(e => e.Type).Where(t => t != "login_succeeded")];

    [Test]
    public async Task A_refresh_rotates_the_token_and_records_no_reuse()
    {
        var login = await LoginAsync();

        var refreshed = await RefreshAsync(login.RefreshToken);

        Assert.That(refreshed.SessionId, Is.EqualTo(login.SessionId));
        Assert.That(refreshed.RefreshToken, Is.Not.EqualTo(login.RefreshToken));
        Assert.That(_store.Sessions.Sessions.Single().RevokedAt, Is.Null);
        Assert.That(EventTypesAfterLogin(), Is.Empty);
    }

    [Test]
    public async Task A_rotated_token_presented_again_revokes_the_session_and_records_the_reuse()
    {
        var login = await LoginAsync();
        await RefreshAsync(login.RefreshToken);
        _store.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await RefreshAsync(login.RefreshToken));

        var session = _store.Sessions.Sessions.Single();
        Assert.That(session.RevokeReason, Is.EqualTo(RevokeReasons.RefreshReuse));
        Assert.That(session.RevokedAt, Is.EqualTo(_store.Time.GetUtcNow()));
        Assert.That(EventTypesAfterLogin(), Is.EqualTo(new[] { "refresh_reuse_detected", "session_revoked" }));
        Assert.That(_store.Events.Events.Where(e => e.Type != "login_succeeded").Select(e => (e.UserId, e.SessionId)),
            Is.All.EqualTo(((int?)_alice.Id, (Guid?)login.SessionId)));
        Assert.That(_store.Events.Events.Single(e => e.Type == "session_revoked").Details, Does.Contain(RevokeReasons.RefreshReuse));
    }

    [Test]
    public async Task After_a_reuse_the_newest_token_of_the_session_is_refused_too()
    {
        var login = await LoginAsync();
        var refreshed = await RefreshAsync(login.RefreshToken);
        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await RefreshAsync(login.RefreshToken));

        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await RefreshAsync(refreshed.RefreshToken));

        Assert.That(EventTypesAfterLogin().Count(t => t == "refresh_reuse_detected"), Is.EqualTo(1), "the legitimate holder's refusal is not a second reuse");
    }

    [Test]
    public async Task A_reuse_ends_only_its_own_session()
    {
        var stolen = await LoginAsync();
        var other = await LoginAsync();
        await RefreshAsync(stolen.RefreshToken);

        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await RefreshAsync(stolen.RefreshToken));

        Assert.That(_store.Sessions.Sessions.Single(s => s.Id == other.SessionId).RevokedAt, Is.Null);
        Assert.That(await RefreshAsync(other.RefreshToken), Has.Property(nameof(TokenResponse.SessionId)).EqualTo(other.SessionId));
    }

    [Test]
    public async Task A_rotation_that_loses_the_race_to_another_is_treated_as_reuse()
    {
        var login = await LoginAsync();
        // Another refresh with the same token commits while this one is in flight: this request's
        // rotation then finds the token spent (on the database, the row lock orders the two).
        _store.Sessions.BeforeNextRotation = () =>
            _store.Sessions.Spent.Add(_store.Sessions.Sessions.Single().Rotate(OpaqueToken.Create().Hash, _store.Time.GetUtcNow(), TimeSpan.FromDays(1)));

        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await RefreshAsync(login.RefreshToken));

        Assert.That(_store.Sessions.Sessions.Single().RevokeReason, Is.EqualTo(RevokeReasons.RefreshReuse));
        Assert.That(EventTypesAfterLogin(), Is.EqualTo(new[] { "refresh_reuse_detected", "session_revoked" }));
    }

    [Test]
    public async Task An_unknown_token_revokes_nothing_and_records_nothing()
    {
        await LoginAsync();

        Assert.ThrowsAsync<InvalidCredentialsException>(async () => await RefreshAsync(OpaqueTokenOfNoSession()));

        Assert.That(_store.Sessions.Sessions.Single().RevokedAt, Is.Null);
        Assert.That(EventTypesAfterLogin(), Is.Empty);
    }

    private static string OpaqueTokenOfNoSession() => OpaqueToken.Create().Token;
}
