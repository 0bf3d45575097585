namespace Paseto.Auth.Api.OpenApi;

/// <summary>The body of every error response (RFC 9457, <c>application/problem+json</c>).</summary>
/// <remarks>
/// Only the OpenAPI document (and so the generated clients) uses these records; the responses
/// themselves are written by <c>IProblemDetailsService</c> from <c>ProblemDetails</c>.
/// </remarks>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong with this request, in words a person can act on.</param>
/// <param name="TraceId">The request's trace id, for finding it in the logs.</param>
public sealed record Problem(string Type, string Title, int Status, string Detail, string TraceId);

/// <summary>
/// A 403 of login. With <c>type</c> <c>/problems/mfa-required</c> the password was right and the
/// account has a second factor: finish at <c>POST /v1/login/mfa</c> with <c>mfa_token</c>, by one of
/// <c>methods</c>. Other 403s of login (<c>/problems/email-not-verified</c>) have neither.
/// </summary>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Status">The HTTP status code (403).</param>
/// <param name="Detail">What went wrong with this request.</param>
/// <param name="TraceId">The request's trace id, for finding it in the logs.</param>
/// <param name="MfaToken">The opaque token of the password step: single use, 5 minutes.</param>
/// <param name="Methods">How the login may be finished: <c>totp</c>, <c>recovery_code</c>.</param>
public sealed record MfaRequiredProblem(string Type, string Title, int Status, string Detail, string TraceId, string? MfaToken, IReadOnlyList<string>? Methods);

/// <summary>
/// A 400: a problem with the request's fields that are not valid, keyed by their JSON names
/// (<c>body</c> for a body that is not JSON).
/// </summary>
/// <remarks>
/// A type of its own rather than a subtype of <see cref="Problem"/>: NJsonSchema writes subtypes as
/// <c>allOf</c> of two closed schemas, which no document satisfies.
/// </remarks>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Status">The HTTP status code (400).</param>
/// <param name="Detail">What went wrong with this request.</param>
/// <param name="TraceId">The request's trace id, for finding it in the logs.</param>
/// <param name="Errors">The messages for each invalid field; absent only when the request could not be read at all.</param>
public sealed record ValidationProblem(string Type, string Title, int Status, string Detail, string TraceId, IReadOnlyDictionary<string, string[]>? Errors);
