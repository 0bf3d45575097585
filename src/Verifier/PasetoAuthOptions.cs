using Microsoft.AspNetCore.Authentication;

namespace Paseto.Auth.Verifier;

/// <summary>How a service accepts Paseto.Auth access tokens.</summary>
/// <remarks>
/// Without <see cref="Introspection"/>, a <c>v4.public</c> token is verified offline, with the
/// keys the service publishes at <c>GET /v1/keys</c>: no request per token, but what it says (the
/// role, that its session is alive) is as it was when the token was issued, up to the token's
/// lifetime. With <see cref="Introspection"/>, every token is also confirmed by the service, so a
/// logout or a revoked session is refused at once; <c>v4.local</c> tokens can only be checked so.
/// </remarks>
public sealed class PasetoAuthOptions : AuthenticationSchemeOptions
{
    /// <summary>Options with empty <see cref="Events"/>.</summary>
    public PasetoAuthOptions()
    {
        Events = new PasetoAuthEvents();
    }

    /// <summary>
    /// The service's base address, e.g. <c>https://auth.example</c>; keys are read from
    /// <c>{Authority}/v1/keys</c> and tokens introspected at <c>{Authority}/v1/token/introspect</c>.
    /// Required. It must be <c>https</c> unless it is a loopback address or <see cref="RequireHttps"/>
    /// is turned off.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The exact <c>aud</c> a token must carry: the service's <c>Paseto:Audience</c>. Required.</summary>
    public string? Audience { get; set; }

    /// <summary>The exact <c>iss</c> a token must carry: the service's <c>Paseto:Issuer</c> (default <c>paseto-auth</c>).</summary>
    public string Issuer { get; set; } = PasetoAuthDefaults.Issuer;

    /// <summary>
    /// Whether <see cref="Authority"/> must use HTTPS (default true). Loopback addresses are allowed
    /// over plain HTTP either way. Turn it off only where the network between the services is
    /// itself trusted: over plain HTTP, whoever sits in between can serve keys of their own and
    /// read the introspection credential.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>
    /// How long fetched keys are used before they are fetched again (default 5 minutes). A key
    /// the service no longer serves is dropped with that fetch. The fetch runs in the background;
    /// requests meanwhile use the keys already held.
    /// </summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The least time between two fetches of the keys that tokens with unknown key ids cause
    /// (default 30 seconds): such a token causes a fetch, as a rotation on the service does, but
    /// no more than one in this interval, so a flood of made-up key ids costs the service one
    /// request. A failed fetch is retried no sooner either.
    /// </summary>
    public TimeSpan KeyFetchMinInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Confirm every token with the service's token introspection (RFC 7662), with the
    /// resource-server credential given there. Off (null) by default.
    /// </summary>
    public PasetoIntrospectionOptions? Introspection { get; set; }

    /// <summary>The client for the service's keys and introspection; by default one made for this scheme.</summary>
    public HttpClient? Backchannel { get; set; }

    /// <summary>The handler of the default <see cref="Backchannel"/>, e.g. to add a client certificate.</summary>
    public HttpMessageHandler? BackchannelHttpHandler { get; set; }

    /// <summary>How long a request to the service may take (default 10 seconds).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The hooks of the handler; see <see cref="PasetoAuthEvents"/>.</summary>
    public new PasetoAuthEvents Events
    {
        get => (PasetoAuthEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>What <see cref="PasetoAuthPostConfigureOptions"/> made for this scheme.</summary>
    internal PasetoTokenValidator? Validator { get; set; }
}

/// <summary>The resource-server credential for the service's token introspection.</summary>
public sealed class PasetoIntrospectionOptions
{
    /// <summary>The credential's id: the service's <c>Introspection:Clients:N:Id</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The secret the service's <c>generate-introspection-secret</c> verb printed (the service keeps only its SHA-256).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// How long an active answer is reused for the same token (default zero: every request asks).
    /// A few seconds spare the service most requests of a busy client, at the price of a logout
    /// being seen that much later. Never longer than the token's own expiry.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.Zero;
}
