using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.UnitTests.Fakes;

namespace Paseto.Auth.UnitTests.Application;

/// <summary>
/// <c>Auth:Sessions:MaxActive</c>, decided where a login starts its session
/// (<see cref="SessionIssuer"/>): at the limit the oldest active sessions are revoked
/// (<c>revoke-oldest</c>) or the login is refused (<c>reject</c>). Parallel logins under the
/// limit are proven on the real database by
/// <c>IntegrationTests.Sessions.SessionLimitTests.Parallel_logins_never_leave_more_than_the_limit_active</c>.
/// </summary>
public sealed class SessionLimitTests
{
    private FakeStore _store = null!;
    private static readonly ClientInfo _client = new("192.0.2.1", "tests");
    private User _alice = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new FakeStore();
        _alice = _store.AddUser("alice");
    }

    private SessionIssuer Issuer(int maxActive, string onLimit) =>
        _store.Issuer(new AuthOptions { Sessions = new SessionOptions { MaxActive = maxActive, OnLimit = onLimit } });

    /// <summary>Logs in <paramref name="count"/> times, a minute apart, so the sessions have an order.</summary>
    private async Task<List<Guid>> LoginAsync(SessionIssuer issuer, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await issuer.StartAsync(_alice, _client, [AuthMethods.Password], _store.Time.GetUtcNow(), default)).SessionId);
            _store.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return ids;
    }

    private List<Guid> ActiveSessions() => [.. _store.Sessions.Sessions.Where(s => s.IsActive(_store.Time.GetUtcNow())).Select(s => s.Id)];

    [Test]
    public async Task Under_the_limit_every_login_keeps_its_session()
    {
        var ids = await LoginAsync(Issuer(3, SessionLimitPolicy.RevokeOldest), 3);

        Assert.That(ActiveSessions(), Is.EquivalentTo(ids));
        Assert.That(_store.Events.Events.Select(e => e.Type), Has.None.EqualTo("session_revoked"));
    }

    [Test]
    public async Task Revoke_oldest_ends_the_oldest_session_and_records_why()
    {
        var issuer = Issuer(3, SessionLimitPolicy.RevokeOldest);
        var ids = await LoginAsync(issuer, 4);

        Assert.That(ActiveSessions(), Is.EquivalentTo(ids.Skip(1)));
        var oldest = _store.Sessions.Sessions.Single(s => s.Id == ids[0]);
        Assert.That(oldest.RevokeReason, Is.EqualTo(RevokeReasons.SessionLimit));
        var revoked = _store.Events.Events.Single(e => e.Type == "session_revoked");
        Assert.That(revoked.SessionId, Is.EqualTo(ids[0]));
        Assert.That(revoked.Details, Does.Contain(RevokeReasons.SessionLimit));
    }

    [Test]
    public async Task Revoke_oldest_after_the_limit_was_lowered_ends_every_session_above_it()
    {
        var ids = await LoginAsync(Issuer(5, SessionLimitPolicy.RevokeOldest), 4);

        var newest = await LoginAsync(Issuer(2, SessionLimitPolicy.RevokeOldest), 1);

        Assert.That(ActiveSessions(), Is.EquivalentTo(new[] { ids[3], newest[0] }));
    }

    [Test]
    public async Task Revoke_oldest_does_not_count_sessions_that_already_ended()
    {
        var issuer = Issuer(2, SessionLimitPolicy.RevokeOldest);
        var ids = await LoginAsync(issuer, 2);
        _store.Sessions.Sessions.Single(s => s.Id == ids[0]).Revoke(RevokeReasons.Logout, _store.Time.GetUtcNow());

        var third = await LoginAsync(issuer, 1);

        Assert.That(ActiveSessions(), Is.EquivalentTo(new[] { ids[1], third[0] }));
        Assert.That(_store.Events.Events.Select(e => e.Type), Has.None.EqualTo("session_revoked"));
    }

    [Test]
    public async Task Reject_refuses_the_login_at_the_limit_and_changes_nothing()
    {
        var issuer = Issuer(2, SessionLimitPolicy.Reject);
        var ids = await LoginAsync(issuer, 2);
        var eventsBefore = _store.Events.Events.Count;

        Assert.ThrowsAsync<ConflictException>(async () => await issuer.StartAsync(_alice, _client, [AuthMethods.Password], _store.Time.GetUtcNow(), default));

        Assert.That(_store.Sessions.Sessions.Select(s => s.Id), Is.EquivalentTo(ids));
        Assert.That(ActiveSessions(), Is.EquivalentTo(ids));
        Assert.That(_store.Events.Events, Has.Count.EqualTo(eventsBefore));
    }
}
