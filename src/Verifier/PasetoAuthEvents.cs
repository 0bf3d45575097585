using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Paseto.Auth.Verifier;

/// <summary>
/// Hooks into the handler, as <c>JwtBearerEvents</c> are for JWTs: set the delegates, or derive
/// and override the methods (and give the type as <see cref="AuthenticationSchemeOptions.EventsType"/>).
/// </summary>
public class PasetoAuthEvents
{
    /// <summary>First, for every request: may set <see cref="PasetoMessageReceivedContext.Token"/> (from a cookie, a query string) or decide the result.</summary>
    public Func<PasetoMessageReceivedContext, Task> OnMessageReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>After a token passed every check: may add claims to, or replace, the principal, or still refuse it with <c>Fail</c>.</summary>
    public Func<PasetoTokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>When a token was refused; <see cref="PasetoAuthenticationFailedContext.Exception"/> says why.</summary>
    public Func<PasetoAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401 is written: may change it, or write an answer of its own and call <see cref="PasetoChallengeContext.HandleResponse"/>.</summary>
    public Func<PasetoChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 403 for an authenticated caller that a policy refuses.</summary>
    public Func<PasetoForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>A task that completes when the hook has.</returns>
    public virtual Task MessageReceived(PasetoMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>A task that completes when the hook has.</returns>
    public virtual Task TokenValidated(PasetoTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>A task that completes when the hook has.</returns>
    public virtual Task AuthenticationFailed(PasetoAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>A task that completes when the hook has.</returns>
    public virtual Task Challenge(PasetoChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>A task that completes when the hook has.</returns>
    public virtual Task Forbidden(PasetoForbiddenContext context) => OnForbidden(context);
}

/// <summary>The context of <see cref="PasetoAuthEvents.OnMessageReceived"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class PasetoMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, PasetoAuthOptions options)
    : ResultContext<PasetoAuthOptions>(context, scheme, options)
{
    /// <summary>The token to check instead of the <c>Authorization</c> header's; null reads the header.</summary>
    public string? Token { get; set; }
}

/// <summary>The context of <see cref="PasetoAuthEvents.OnTokenValidated"/>; <see cref="ResultContext{TOptions}.Principal"/> is the caller.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class PasetoTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, PasetoAuthOptions options)
    : ResultContext<PasetoAuthOptions>(context, scheme, options)
{
    /// <summary>The token that passed.</summary>
    public required string Token { get; init; }

    /// <summary>Whether the service confirmed it by introspection (false: verified offline only).</summary>
    public bool Introspected { get; init; }
}

/// <summary>The context of <see cref="PasetoAuthEvents.OnAuthenticationFailed"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class PasetoAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, PasetoAuthOptions options)
    : ResultContext<PasetoAuthOptions>(context, scheme, options)
{
    /// <summary>Why the token was refused; usually a <see cref="PasetoAuthenticationException"/>.</summary>
    public required Exception Exception { get; init; }
}

/// <summary>The context of <see cref="PasetoAuthEvents.OnChallenge"/>: the 401 about to be written.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's properties.</param>
public sealed class PasetoChallengeContext(HttpContext context, AuthenticationScheme scheme, PasetoAuthOptions options, AuthenticationProperties properties)
    : PropertiesContext<PasetoAuthOptions>(context, scheme, options, properties)
{
    /// <summary>Why this request's token was refused; null when it sent none.</summary>
    public Exception? AuthenticateFailure { get; init; }

    /// <summary>The <c>error</c> of the <c>WWW-Authenticate</c> header (RFC 6750 §3.1): <c>invalid_token</c> for a refused token, else null.</summary>
    public string? Error { get; set; }

    /// <summary>The <c>error_description</c>: a short reason a client may show, never which check a forgery failed.</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>Whether the hook wrote the answer itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's 401: the hook has answered.</summary>
    public void HandleResponse() => Handled = true;
}

/// <summary>The context of <see cref="PasetoAuthEvents.OnForbidden"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class PasetoForbiddenContext(HttpContext context, AuthenticationScheme scheme, PasetoAuthOptions options)
    : ResultContext<PasetoAuthOptions>(context, scheme, options);
