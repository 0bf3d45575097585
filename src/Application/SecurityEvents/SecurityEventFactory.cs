using System.Text.Json;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.SecurityEvents;

/// <summary>
/// Builds security events with their details. Details name what changed and who did it; they
/// never carry a password, hash or token, and emails appear masked (<c>a***@example.com</c>).
/// </summary>
public static class SecurityEventFactory
{
    public static SecurityEvent Create(int? userId, string type, DateTimeOffset at, ClientInfo? client, Guid? sessionId, params (string Key, object? Value)[] details)
    {
        var json = details.Length == 0
            ? "{}"
            : JsonSerializer.Serialize(details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal), EventJsonContext.Default.DictionaryStringObject);
        return SecurityEvent.Create(userId, type, at, sessionId, client?.Ip, client?.UserAgent, json);
    }

    /// <summary>A <c>session_revoked</c> event; <c>by</c> says who or what ended the session.</summary>
    public static SecurityEvent SessionRevoked(int userId, Guid sessionId, string reason, DateTimeOffset at, ClientInfo? client) =>
        Create(userId, SecurityEventTypes.SessionRevoked, at, client, sessionId, ("reason", reason), ("by", RevokedBy(reason)));

    private static string RevokedBy(string reason) => reason switch
    {
        RevokeReasons.RevokedByAdmin => "admin",
        RevokeReasons.SessionLimit => "limit",
        RevokeReasons.PasswordChanged => "password_change",
        RevokeReasons.RefreshReuse => "reuse",
        RevokeReasons.WrongPasswordLimit => "throttle",
        _ => "self",
    };

    /// <summary>Keeps the first character of the local part and the domain: enough to recognise, not to harvest.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
