using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Api.Authentication;

internal static class CallerExtensions
{
    /// <summary>The caller that <see cref="PasetoBearerHandler"/> authenticated on this request.</summary>
    public static CallerIdentity GetCaller(this HttpContext context) =>
        context.Features.Get<CallerIdentity>()
        ?? throw new InvalidOperationException("The endpoint is not behind [Authorize].");

    public static ClientInfo GetClientInfo(this HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is { IsIPv4MappedToIPv6: true })
        {
            ip = ip.MapToIPv4();
        }

        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new ClientInfo(ip?.ToString(), userAgent.Length > 0 ? userAgent : null);
    }
}
