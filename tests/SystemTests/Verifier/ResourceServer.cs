using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paseto.Auth.Verifier;

namespace Paseto.Auth.SystemTests.Verifier;

/// <summary>
/// Another team's API: a minimal ASP.NET Core app on a real Kestrel socket that knows nothing of
/// the service but the verifier library and the service's address. Its keys and introspection
/// requests go over real HTTP; <see cref="KeyFetches"/> counts the <c>GET /v1/keys</c> it sent.
/// </summary>
public sealed class ResourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CountingHandler _counter;

    private ResourceServer(WebApplication app, CountingHandler counter, HttpClient client)
    {
        _app = app;
        _counter = counter;
        Client = client;
    }

    public HttpClient Client { get; }

    public int KeyFetches => _counter.KeyFetches;

    public static async Task<ResourceServer> StartAsync(Uri authority, Action<PasetoAuthOptions>? configure = null)
    {
        var counter = new CountingHandler();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddPasetoAuth(o =>
        {
            o.Authority = authority.ToString();
            o.Audience = "paseto-auth";
            o.BackchannelHttpHandler = counter;
            configure?.Invoke(o);
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Json(new Dictionary<string, string?>
        {
            ["name"] = user.Identity?.Name,
            ["role"] = user.FindFirstValue(ClaimTypes.Role),
            ["sub"] = user.FindFirstValue("sub"),
            ["sid"] = user.FindFirstValue("sid"),
            ["admin"] = user.IsInRole("admin") ? "yes" : "no",
        })).RequireAuthorization();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new ResourceServer(app, counter, client);
    }

    public Task<HttpResponseMessage> WhoAmIAsync(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _keyFetches;

        public int KeyFetches => Volatile.Read(ref _keyFetches);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath == "/v1/keys")
            {
                Interlocked.Increment(ref _keyFetches);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
