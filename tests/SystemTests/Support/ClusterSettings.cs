namespace Paseto.Auth.SystemTests.Support;

/// <summary>The settings every instance behind the tests' nginx shares.</summary>
public static class ClusterSettings
{
    /// <summary>nginx's client addresses believed, a throttle that blocks after two failures, admins without a second factor.</summary>
    public static Dictionary<string, string> BehindNginx() => new()
    {
        // nginx connects from loopback: its X-Forwarded-For names the client.
        ["Network__KnownProxies__0"] = "127.0.0.1",
        ["Auth__Throttling__FreeFailures"] = "2",
        ["Auth__Throttling__BaseDelay"] = "00:05:00",
        // Every signup of these tests comes from one address; the signup budget is not under test.
        ["Auth__Throttling__SignupsPerAddressPerHour"] = "1000",
        // The tests' admins log in with a password: what they prove is how instances share
        // state, not the admins' second factor (tests/IntegrationTests/Mfa).
        ["Auth__Mfa__RequiredForRoles__0"] = "",
    };
}
