using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Devices;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Auth;

/// <summary>
/// The end of every successful login, a password login or one finished with a second factor:
/// the device is recognised or registered (a new one noticed to the owner), and the session
/// starts under the session limit, keeping how the login proved itself.
/// </summary>
public sealed class LoginCompletion(IDeviceRepository devices, SessionIssuer sessionIssuer, SignInMail signInMail)
{
    /// <summary>Looks up the device a login presented the token of, as the password step does (null for none or a stranger's).</summary>
    public Task<Device?> FindDeviceAsync(int userId, string? deviceToken, CancellationToken cancellationToken) =>
        OpaqueToken.TryHash(deviceToken, out var hash)
            ? devices.FindActiveAsync(userId, hash, cancellationToken)
            : Task.FromResult<Device?>(null);

    public Task<TokenResponse> FinishAsync(
        User user, Device? device, string? deviceToken, ClientInfo client, IReadOnlyList<string> authMethods, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(user, device, deviceToken, client, authMethods, now, succeeded: null, cancellationToken);

    /// <param name="succeeded">
    /// The login's throttle reservation, not given back yet: it is, in the session's commit, so a
    /// login costs one commit after its hash, not two.
    /// </param>
    public async Task<TokenResponse> FinishAsync(
        User user, Device? device, string? deviceToken, ClientInfo client, IReadOnlyList<string> authMethods, DateTimeOffset now, ThrottleAttempt? succeeded, CancellationToken cancellationToken)
    {
        var issued = await sessionIssuer.StartAsync(user, client, authMethods, now, succeeded, hadDevices =>
        {
            // Under the user's lock, so of parallel first logins exactly one is no news.
            if (device is null)
            {
                signInMail.NoticeNewDevice(user, client, now, hadDevices);
                (deviceToken, var hash) = OpaqueToken.Create();
                devices.Add(Device.Register(user.Id, hash, client.UserAgent, now));
            }
            else
            {
                device.Used(now);
            }
        }, cancellationToken);
        return issued with { DeviceToken = deviceToken };
    }
}
