using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

/// <summary>Counts the database commands Npgsql runs (through its ActivitySource) while a request is served.</summary>
public sealed class RoundTripTests : ApiTestBase
{
    private static async Task<string[]> CommandsDuringAsync(Func<Task> action)
    {
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => commands.Enqueue(activity.DisplayName + " " + activity.GetTagItem("db.statement")),
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        return [.. commands];
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
    public async Task A_refused_token_costs_no_database_round_trip()
    {
        var commands = await CommandsDuringAsync(async () =>
            Assert.That((await Client.GetAsync("/v1/users/me", "v4.local.not-a-token")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized)));

        Assert.That(commands, Is.Empty);
    }
}
