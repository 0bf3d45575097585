using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paseto.Auth.Infrastructure.Authentication;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>
/// A change made straight in the database reaches a host's session cache by notification, within
/// the cache's guarantee (<c>docs/reliability.md</c>), not before the next request.
/// </summary>
public static class SessionCacheWait
{
    /// <summary>
    /// Polls until <paramref name="holds"/>; a check begun later than the host's guarantee after
    /// the change that still did not hold fails the test.
    /// </summary>
    public static async Task WithinGuaranteeAsync(WebApplicationFactory<Program> host, Func<Task<bool>> holds, string what)
    {
        var guarantee = host.Services.GetRequiredService<IOptions<SessionCacheOptions>>().Value.Guarantee;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var began = clock.Elapsed;
            if (await holds())
            {
                return;
            }

            Assert.That(began, Is.LessThanOrEqualTo(guarantee), $"a request begun {began.TotalMilliseconds:F0} ms after the change did not see it ({what})");
            await Task.Delay(5);
        }
    }

    /// <summary>Waits, within the guarantee, until the token is refused on <c>GET /v1/users/me</c>.</summary>
    public static Task UntilRefusedAsync(WebApplicationFactory<Program> host, HttpClient client, string accessToken) =>
        WithinGuaranteeAsync(host, async () => (await client.GetAsync("/v1/users/me", accessToken)).StatusCode == System.Net.HttpStatusCode.Unauthorized, "refused");
}
