using Microsoft.Extensions.Options;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.UnitTests.Fakes;

namespace Paseto.Auth.UnitTests.Application;

/// <summary>
/// An admin cannot demote or deactivate the last active admin, nor close their own account while
/// they are it: the service would be left without anyone to manage it. The race (two admins
/// demoting each other at once) is proven on the real database by
/// <c>IntegrationTests.Users.AdminTests.Two_admins_demoting_each_other_at_once_leave_one_admin</c>.
/// </summary>
public sealed class LastAdminRuleTests
{
    private FakeStore _store = null!;

    [SetUp]
    public void SetUp() => _store = new FakeStore();

    private static CallerIdentity CallerFor(User user) =>
        new(new CallerAccount(user.Id, user.Username, user.Email, user.Firstname, user.Role, user.IsActive, user.CreatedAt, user.UpdatedAt),
            Guid.NewGuid(), new ClientInfo("192.0.2.1", "tests"));

    private ValueTask<UserProfile> UpdateAsync(User caller, string username, string? role, bool? isActive) =>
        new AdminUpdateUserCommandHandler(_store.Users, _store.Sessions, _store.Events, _store.UnitOfWork, _store.Time)
            .Handle(new AdminUpdateUserCommand(CallerFor(caller), username, role, isActive), default);

    [Test]
    public void The_last_active_admin_cannot_demote_themselves_and_nothing_changes()
    {
        var root = _store.AddUser("root", Roles.Admin);

        Assert.ThrowsAsync<ConflictException>(async () => await UpdateAsync(root, "root", Roles.Member, null));

        Assert.That(root.Role, Is.EqualTo(Roles.Admin));
        Assert.That(_store.Events.Events, Is.Empty);
        Assert.That(_store.UnitOfWork.Commits, Is.Zero);
    }

    [Test]
    public void The_last_active_admin_cannot_be_deactivated_and_keeps_their_sessions()
    {
        var root = _store.AddUser("root", Roles.Admin);
        var session = Session.Start(root.Id, [1], _store.Time.GetUtcNow(), TimeSpan.FromDays(30), TimeSpan.FromDays(14), null, null, [AuthMethods.Password]);
        _store.Sessions.Add(session);

        Assert.ThrowsAsync<ConflictException>(async () => await UpdateAsync(root, "root", null, false));

        Assert.That(root.IsActive, Is.True);
        Assert.That(session.RevokedAt, Is.Null);
        Assert.That(_store.Events.Events, Is.Empty);
    }

    [Test]
    public void An_inactive_admin_does_not_count_as_a_second_admin()
    {
        var root = _store.AddUser("root", Roles.Admin);
        _store.AddUser("former", Roles.Admin).SetActive(false, _store.Time.GetUtcNow());

        Assert.ThrowsAsync<ConflictException>(async () => await UpdateAsync(root, "root", Roles.Member, null));
    }

    [Test]
    public async Task With_a_second_active_admin_one_of_them_may_be_demoted_and_it_is_recorded()
    {
        var root = _store.AddUser("root", Roles.Admin);
        var second = _store.AddUser("second", Roles.Admin);

        var profile = await UpdateAsync(root, "second", Roles.Member, null);

        Assert.That(profile.Role, Is.EqualTo(Roles.Member));
        Assert.That(second.Role, Is.EqualTo(Roles.Member));
        Assert.That(_store.Events.Events.Select(e => (e.Type, e.UserId)), Is.EqualTo(new[] { ("role_changed", (int?)second.Id) }));
        Assert.That(_store.UnitOfWork.Commits, Is.EqualTo(1));
    }

    [Test]
    public async Task With_a_second_active_admin_one_may_be_deactivated_and_their_sessions_end()
    {
        var root = _store.AddUser("root", Roles.Admin);
        var second = _store.AddUser("second", Roles.Admin);
        var session = Session.Start(second.Id, [1], _store.Time.GetUtcNow(), TimeSpan.FromDays(30), TimeSpan.FromDays(14), null, null, [AuthMethods.Password]);
        _store.Sessions.Add(session);

        await UpdateAsync(root, "second", null, false);

        Assert.That(second.IsActive, Is.False);
        Assert.That(session.RevokeReason, Is.EqualTo(RevokeReasons.RevokedByAdmin));
    }

    [Test]
    public async Task The_last_admin_may_still_change_a_member()
    {
        var root = _store.AddUser("root", Roles.Admin);
        var alice = _store.AddUser("alice", Roles.Member);

        await UpdateAsync(root, "alice", null, false);

        Assert.That(alice.IsActive, Is.False);
        Assert.That(root.Role, Is.EqualTo(Roles.Admin));
    }

    [Test]
    public async Task Setting_the_last_admin_to_what_they_already_are_is_no_change_and_no_refusal()
    {
        var root = _store.AddUser("root", Roles.Admin);

        var profile = await UpdateAsync(root, "root", Roles.Admin, true);

        Assert.That(profile.Role, Is.EqualTo(Roles.Admin));
        Assert.That(_store.Events.Events, Is.Empty);
        Assert.That(_store.UnitOfWork.Commits, Is.Zero);
    }

    private ValueTask<Mediator.Unit> DeactivateOwnAccountAsync(User caller)
    {
        var guard = new PasswordGuard(new CountingHasher(), new NoThrottle(), _store.Sessions, _store.Events, _store.UnitOfWork, Options.Create(new AuthOptions()), _store.Time);
        return new DeactivateAccountCommandHandler(_store.Users, _store.Sessions, _store.Events, guard, NoSecondFactors.Check(_store), _store.UnitOfWork, _store.Time)
            .Handle(new DeactivateAccountCommand(CallerFor(caller), "password", SecondFactorProof.None), default);
    }

    [Test]
    public void The_last_active_admin_cannot_close_their_own_account()
    {
        var root = _store.AddUser("root", Roles.Admin);

        Assert.ThrowsAsync<ConflictException>(async () => await DeactivateOwnAccountAsync(root));

        Assert.That(root.IsActive, Is.True);
        Assert.That(_store.Events.Events.Select(e => e.Type), Has.None.EqualTo("account_deactivated"));
    }

    [Test]
    public async Task An_admin_who_is_not_the_last_may_close_their_own_account()
    {
        var root = _store.AddUser("root", Roles.Admin);
        _store.AddUser("second", Roles.Admin);

        await DeactivateOwnAccountAsync(root);

        Assert.That(root.IsActive, Is.False);
        Assert.That(_store.Events.Events.Select(e => e.Type), Has.Some.EqualTo("account_deactivated"));
    }
}
