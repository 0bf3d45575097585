using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>
/// The test host has no socket, so no client address. This gives requests the loopback address
/// a real connection would have, or the one a test names in <see cref="Header"/> to play a client
/// elsewhere.
/// </summary>
internal sealed class TestClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value, out var address)
                ? address
                : context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}
