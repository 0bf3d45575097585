using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Paseto.Auth.Verifier;

/// <summary>
/// Authenticates requests by a Paseto.Auth access token in <c>Authorization: Bearer</c>, as
/// <see cref="PasetoAuthOptions"/> says. A refused token fails authentication; the challenge is
/// 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 §3.1), as the
/// ASP.NET Core bearer handlers answer, and a request without a token gets a bare
/// <c>WWW-Authenticate: Bearer</c>.
/// </summary>
/// <param name="options">The schemes' options.</param>
/// <param name="logger">Where refusals are logged (never a token).</param>
/// <param name="encoder">The URL encoder of the base handler.</param>
public sealed partial class PasetoAuthHandler(IOptionsMonitor<PasetoAuthOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<PasetoAuthOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    private new PasetoAuthEvents Events => (PasetoAuthEvents)base.Events!;

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new PasetoAuthEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new PasetoMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received);
        if (received.Result is not null)
        {
            return received.Result;
        }

        var token = received.Token;
        if (string.IsNullOrEmpty(token))
        {
            string? header = Request.Headers.Authorization;
            if (string.IsNullOrEmpty(header) || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.NoResult();
            }

            token = header[Prefix.Length..].Trim();
            if (token.Length == 0)
            {
                return AuthenticateResult.NoResult();
            }
        }

        var validator = Options.Validator ?? throw new InvalidOperationException("The Paseto.Auth scheme was not configured through AddPasetoAuth.");
        var check = await validator.CheckAsync(token, Context.RequestAborted);
        if (check.Failure is { } failure)
        {
            LogRefused(Logger, Scheme.Name, failure.Failure, failure.TokenError);
            var failed = new PasetoAuthenticationFailedContext(Context, Scheme, Options) { Exception = failure };
            await Events.AuthenticationFailed(failed);
            return failed.Result ?? AuthenticateResult.Fail(failure);
        }

        var validated = new PasetoTokenValidatedContext(Context, Scheme, Options)
        {
            Principal = check.Principal,
            Token = token,
            Introspected = check.Introspected,
        };
        await Events.TokenValidated(validated);
        if (validated.Result is not null)
        {
            return validated.Result;
        }

        validated.Success();
        return validated.Result!;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var challenge = new PasetoChallengeContext(Context, Scheme, Options, properties) { AuthenticateFailure = result.Failure };
        if (result.Failure is not null)
        {
            challenge.Error = "invalid_token";
            challenge.ErrorDescription = Describe(result.Failure);
        }

        await Events.Challenge(challenge);
        if (challenge.Handled)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var value = "Bearer";
        if (challenge.Error is { Length: > 0 } error)
        {
            value += $" error=\"{error}\"";
            if (challenge.ErrorDescription is { Length: > 0 } description)
            {
                value += $", error_description=\"{description}\"";
            }
        }

        Response.Headers.Append(HeaderNames.WWWAuthenticate, value);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        // As the bearer handlers do: 403 first, which the hook may change or write a body to.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Events.Forbidden(new PasetoForbiddenContext(Context, Scheme, Options));
    }

    /// <summary>
    /// The <c>error_description</c>: printable ASCII without quotes (RFC 6750 §3). A genuine
    /// token that expired, one whose session ended and a service that could not be asked are
    /// told apart, since a client acts differently on each; every other cause has one answer,
    /// so a forgery learns nothing about which check it failed.
    /// </summary>
    private static string Describe(Exception failure) => (failure as PasetoAuthenticationException)?.Failure switch
    {
        PasetoAuthFailure.Expired => "The token expired",
        PasetoAuthFailure.Inactive => "The token is not active",
        PasetoAuthFailure.ServiceUnavailable => "The token could not be checked",
        _ => "The token is invalid",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheme {Scheme} refused a token: {Failure} ({TokenError}).")]
    private static partial void LogRefused(ILogger logger, string scheme, PasetoAuthFailure failure, Paseto.PasetoTokenError tokenError);
}
