using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

/// <summary>
/// Counts the database commands Npgsql runs (through its ActivitySource) while a request is served.
/// Only the commands run inside the request's own activity count: the background jobs (the
/// retention cleanup, the mail outbox's sender) run theirs whenever they are due.
/// </summary>
public sealed class RoundTripTests : ApiTestBase
{
    internal static async Task<string[]> CommandsDuringAsync(Func<Task> action)
    {
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            // Listening to ASP.NET Core makes it start an activity for each request, the parent of the request's commands.
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && InRequest(activity))
                {
                    commands.Enqueue(activity.DisplayName + " " + activity.GetTagItem("db.query.text"));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        return [.. commands];
    }

    private static bool InRequest(Activity activity)
    {
        for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.Source.Name == "Microsoft.AspNetCore")
            {
                return true;
            }
        }

        return false;
    }

    [Test]
    public async Task An_authenticated_profile_request_costs_one_database_round_trip()
    {
        var tokens = await Client.MemberAsync("alice");

        var commands = await CommandsDuringAsync(async () =>
            Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK)));

        Assert.That(commands, Has.Length.EqualTo(1), string.Join("\n", commands));
    }

    [Test]
    public async Task A_session_seen_within_the_minute_is_answered_from_the_cache_without_a_round_trip()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var commands = await CommandsDuringAsync(async () =>
            Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK)));

        Assert.That(commands, Is.Empty, string.Join("\n", commands));
    }

    /// <summary>The session list reads the sessions and the devices in one batch, after a bearer check from the cache.</summary>
    [Test]
    public async Task A_session_list_costs_one_database_round_trip()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var commands = await CommandsDuringAsync(async () =>
            Assert.That((await Client.GetAsync("/v1/sessions", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK)));

        Assert.That(commands, Has.Length.EqualTo(1), string.Join("\n", commands));
    }

    /// <summary>The check, the rotation and the spent record in one statement, its own commit.</summary>
    [Test]
    public async Task A_refresh_costs_one_database_round_trip()
    {
        var tokens = await Client.MemberAsync("alice");

        var commands = await CommandsDuringAsync(async () =>
            Assert.That((await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken })).StatusCode, Is.EqualTo(HttpStatusCode.OK)));

        Assert.That(commands, Has.Length.EqualTo(1), string.Join("\n", commands));
    }

    /// <summary>
    /// A password login from a new device (a device row, its notice and outbox mail, two events, the
    /// session): the account lookup, the throttle's reservation in one statement, then the session's
    /// transaction: the lock with the device question, the count of active sessions and the
    /// throttle's settlement in one batch, the inserts in another (no savepoints around them), and
    /// the commit Npgsql does not trace.
    /// </summary>
    [Test]
    public async Task A_login_costs_four_database_round_trips()
    {
        await Client.SignupOkAsync("alice");
        await Client.LoginOkAsync("alice");

        var commands = await CommandsDuringAsync(async () => await Client.LoginOkAsync("alice"));

        Assert.That(commands, Has.Length.LessThanOrEqualTo(4), string.Join("\n", commands));
        Assert.That(commands, Has.None.Contains("SAVEPOINT"));
    }

    /// <summary>
    /// A login commits twice: its throttle reservation before the hash, and after it one transaction
    /// with everything else. The account's hourly budget gets its unit back in the same transaction
    /// that inserts the session, its device and its events (the same <c>xmin</c>).
    /// </summary>
    [Test]
    public async Task A_login_gives_its_throttle_reservation_back_in_the_session_commit()
    {
        await Client.SignupOkAsync("alice");
        await Client.LoginOkAsync("alice");

        var tokens = await Client.LoginOkAsync("alice");

        var userId = await ScalarAsync<int>("SELECT id FROM paseto_auth.users WHERE normalized_username = 'alice'");
        var sessionXid = await ScalarAsync<string>("SELECT xmin::text FROM paseto_auth.sessions WHERE id = $1", tokens.SessionId);
        Assert.That(await ScalarAsync<string>("SELECT xmin::text FROM paseto_auth.throttle_counters WHERE key = $1", $"login:user:{userId}"), Is.EqualTo(sessionXid));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE session_id = $1 AND xmin::text = $2", tokens.SessionId, sessionXid!), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM paseto_auth.devices WHERE user_id = $1 AND created_at = (SELECT max(created_at) FROM paseto_auth.devices WHERE user_id = $1) AND xmin::text = $2", userId, sessionXid!), Is.EqualTo(1));
    }

    [Test]
    public async Task A_refused_token_costs_no_database_round_trip()
    {
        var commands = await CommandsDuringAsync(async () =>
            Assert.That((await Client.GetAsync("/v1/users/me", "v4.local.not-a-token")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized)));

        Assert.That(commands, Is.Empty);
    }
}

/// <summary>With the session cache off, a session seen within the minute costs one plain read, no update.</summary>
public sealed class RoundTripWithoutCacheTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SessionCache:Enabled"] = "false",
    };

    [Test]
    public async Task A_session_seen_within_the_minute_is_checked_by_a_plain_read()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var commands = await RoundTripTests.CommandsDuringAsync(async () =>
            Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK)));

        Assert.That(commands, Has.Length.EqualTo(1), string.Join("\n", commands));
        Assert.That(commands[0], Does.Contain("FROM paseto_auth.sessions").And.Not.Contain("UPDATE"));
    }
}
