using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Paseto.Auth.Infrastructure.Authentication;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

/// <summary>
/// The <c>sessions</c> update trigger names the columns it compares (a whole-row comparison as
/// JSON cost the rotation more than its own update), so a column added later would be silently
/// left out. These tests read the trigger and the table from the migrated database: every column
/// is either compared or one of the rotation's, and each compared column's change notifies while
/// the rotation notifies nothing.
/// </summary>
public sealed partial class SessionNotifyTriggerTests : ApiTestBase
{
    /// <summary>What a refresh moves: nothing the session cache keeps.</summary>
    private static readonly string[] _rotationColumns = ["last_seen_at", "refresh_token_hash", "refresh_generation", "refresh_expires_at"];

    /// <summary>One change of each compared column, the id's last; a new column needs one here too.</summary>
    private static readonly (string Column, string Change)[] _changes =
    [
        ("user_id", "user_id = (SELECT id FROM paseto_auth.users WHERE username = 'bob')"),
        ("created_at", "created_at = created_at - interval '1 second'"),
        ("expires_at", "expires_at = expires_at + interval '1 second'"),
        ("revoked_at", "revoked_at = now()"),
        ("revoke_reason", "revoke_reason = 'test'"),
        ("user_agent", "user_agent = 'another agent'"),
        ("ip", "ip = '192.0.2.7'"),
        ("auth_methods", "auth_methods = '{password,totp}'"),
        ("id", "id = gen_random_uuid()"),
    ];

    [Test]
    public async Task Every_session_column_is_compared_by_the_update_trigger_or_is_the_rotations()
    {
        var definition = await ScalarAsync<string>("""
            SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
            WHERE t.tgrelid = 'paseto_auth.sessions'::regclass AND t.tgname = 'sessions_notify_cache_update'
            """);
        var columns = await ColumnsAsync();

        Assert.That(definition, Does.Not.Contain("to_jsonb").And.Not.Contain("old.*"), "the condition names its columns");
        Assert.That(_rotationColumns, Is.SubsetOf(columns));
        var updateOf = UpdateOf().Match(definition!);
        Assert.That(updateOf.Success, Is.True, "the trigger lists its columns (UPDATE OF), so a statement that sets none of them skips it");
        var listed = updateOf.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            foreach (var column in columns)
            {
                var compared = listed.Contains(column)
                    && Regex.IsMatch(definition!, $@"\bold\.{column}\b") && Regex.IsMatch(definition!, $@"\bnew\.{column}\b");
                var mentioned = listed.Contains(column) || Regex.IsMatch(definition!, $@"\b{column}\b");
                Assert.That(_rotationColumns.Contains(column) ? !mentioned : compared, Is.True,
                    $"sessions.{column} must be listed and compared by the trigger (old and new) unless a refresh moves it, and then not named at all");
            }
        });
    }

    [Test]
    public async Task Each_compared_column_notifies_its_change_and_the_rotation_notifies_nothing()
    {
        var columns = await ColumnsAsync();
        Assert.That(_changes.Select(c => c.Column), Is.EquivalentTo(columns.Except(_rotationColumns)), "one change for every compared column");

        await Client.MemberAsync("bob");
        var tokens = await Client.MemberAsync("alice");
        await using var listener = await Database.OpenConnectionAsync();
        var received = new List<string>();
        listener.Notification += (_, e) => received.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {SessionCache.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var refresh = await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });
        Assert.That(refresh.IsSuccessStatusCode, Is.True);
        await ScalarAsync<int>("""
            UPDATE paseto_auth.sessions SET last_seen_at = now(), refresh_token_hash = sha256(refresh_token_hash),
              refresh_generation = refresh_generation + 1, refresh_expires_at = refresh_expires_at - interval '1 second'
            WHERE id = $1
            """, tokens.SessionId);
        Assert.That(await NotificationsUntilMarkAsync(listener, received, "after-rotation"), Does.Not.Contain($"s:{tokens.SessionId}"),
            "a refresh, and the rotation's columns changed by hand, notify nothing");

        // The refresh's spent record would hold the session's id in place.
        await ScalarAsync<int>("DELETE FROM paseto_auth.spent_refresh_tokens WHERE session_id = $1", tokens.SessionId);
        foreach (var (column, change) in _changes)
        {
            await ScalarAsync<int>($"UPDATE paseto_auth.sessions SET {change} WHERE id = $1", tokens.SessionId);
            Assert.That(await NotificationsUntilMarkAsync(listener, received, column), Does.Contain($"s:{tokens.SessionId}"),
                $"a change of sessions.{column} notifies");
        }
    }

    private async Task<List<string>> ColumnsAsync()
    {
        var columns = new List<string>();
        await using var command = Database.CreateCommand("""
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = 'paseto_auth' AND table_name = 'sessions' ORDER BY ordinal_position
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    /// <summary>
    /// Notifications arrive in commit order, so everything the changes before it sent has arrived
    /// once a mark sent after them has: no waiting for something that may never come.
    /// </summary>
    private async Task<List<string>> NotificationsUntilMarkAsync(NpgsqlConnection listener, List<string> received, string name)
    {
        var mark = $"mark:{name}:{Guid.NewGuid()}";
        await ScalarAsync<int>("SELECT 1 FROM pg_notify($1, $2)", SessionCache.Channel, mark);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.Contains(mark))
        {
            await listener.WaitAsync(timeout.Token);
        }

        var before = received.TakeWhile(p => p != mark).ToList();
        received.Clear();
        return before;
    }

    [GeneratedRegex(@"AFTER UPDATE OF ([a-z_, ]+) ON ")]
    private static partial Regex UpdateOf();
}
