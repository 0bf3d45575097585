using System.Globalization;

namespace Paseto.Auth.Application.Common;

/// <summary>
/// Every key the throttle counts under (<see cref="Abstractions.IThrottle"/>), built here and
/// nowhere else. The strings are the rows of <c>throttle_counters</c>: changing one makes a
/// running database forget the counts it holds under the old one, so they change only on purpose.
/// </summary>
public static class ThrottleKeys
{
    /// <summary>Every signup, from anywhere: the service's hourly ceiling.</summary>
    public const string SignupAll = "signup:all";

    /// <summary>Failed logins to a name no account has (normalized), so guessing names costs as much as guessing passwords.</summary>
    public static string LoginName(string normalizedName) => $"login:name:{normalizedName}";

    /// <summary>Failed logins to an account, from anywhere.</summary>
    public static string LoginUser(int userId) => Invariant($"login:user:{userId}");

    /// <summary>Failed logins to an account (<see cref="LoginName"/> or <see cref="LoginUser"/>) from one address.</summary>
    public static string LoginAccountFromAddress(string accountKey, string? address) => $"{accountKey}|ip:{address}";

    /// <summary>Failed logins through a trusted device, which count apart from the address's.</summary>
    public static string LoginDevice(Guid deviceId) => Invariant($"login:device:{deviceId}");

    /// <summary>Failed passkey sign-ins from one address, before the passkey (and so the account) is known.</summary>
    public static string PasskeyLoginAddress(string? address) => $"passkey:ip:{address}";

    /// <summary>Failed passkey sign-ins with the passkeys of one account, from anywhere.</summary>
    public static string PasskeyLoginUser(int userId) => Invariant($"passkey:user:{userId}");

    /// <summary>Signups from one address.</summary>
    public static string SignupAddress(string? address) => $"signup:ip:{address}";

    /// <summary>Wrong current passwords at a step-up in one session.</summary>
    public static string StepUpSession(Guid sessionId) => Invariant($"stepup:session:{sessionId}");

    /// <summary>Wrong current passwords at a step-up for one account, across its sessions.</summary>
    public static string StepUpUser(int userId) => Invariant($"stepup:user:{userId}");

    /// <summary>Wrong second-factor codes (TOTP or recovery) for one account, from logins and step-ups together.</summary>
    public static string SecondFactorUser(int userId) => Invariant($"mfa:user:{userId}");

    /// <summary>Requested mails (verification, reset, change confirmation) to one normalised address.</summary>
    public static string MailTo(string normalizedAddress) => $"mail:to:{normalizedAddress}";

    /// <summary>Verification mails one account asked for (resends and unverified logins).</summary>
    public static string VerificationMails(int userId) => Invariant($"mail:verify:user:{userId}");

    /// <summary>Password-reset requests from one address.</summary>
    public static string ForgotAddress(string? address) => $"forgot:ip:{address}";

    /// <summary>Password-reset requests for one normalised email, from anywhere.</summary>
    public static string ForgotEmail(string normalizedEmail) => $"forgot:email:{normalizedEmail}";

    /// <summary>Introspection requests of one resource server.</summary>
    public static string IntrospectionClient(string clientId) => $"introspect:client:{clientId}";

    private static string Invariant(FormattableString key) => key.ToString(CultureInfo.InvariantCulture);
}
